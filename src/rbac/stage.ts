// Auth0's RBAC in tokens, as the first stage of the token plan. For an API with enforce_policies the
// granted API scopes are the requested ones the user is permitted (directly or through a role); with
// an *_authz token dialect the access token carries `permissions`: all the user's permissions at that
// API. A client_credentials token follows its client grant and, with an *_authz dialect, lists the
// granted scopes as its permissions. The store is read only for an API that has either setting.

import type { ResourceServer } from '../config/types.js'
import { isOidcScope } from '../scopes/scopes.js'
import type { Store } from '../store/store.js'
import type { TokenPlan, TokenStage } from '../tokens/plan.js'
import { permissionsAt } from './assignments.js'

/** The token dialects whose access tokens carry `permissions`. */
const AUTHZ_DIALECTS: ReadonlySet<string> = new Set(['access_token_authz', 'rfc9068_profile_authz'])

const addsPermissions = (api: ResourceServer): boolean => AUTHZ_DIALECTS.has(api.token_dialect ?? 'access_token')

export function rbacStage(store: Store): TokenStage {
  return async (call, plan) => {
    const { api } = call
    // A code's plan was made at /authorize and is kept in the code.
    if (api === undefined || call.trigger === 'authorization_code') return
    const enforce = api.enforce_policies === true
    const authz = addsPermissions(api)
    if (!enforce && !authz) return
    if (call.trigger === 'client_credentials') {
      if (authz) plan.accessClaims.permissions = [...plan.scopes]
      return
    }
    if (call.user === undefined) return
    const permitted = await permittedAt(store, call.user.user_id, api)
    if (enforce) narrowScopes(plan, new Set(permitted))
    if (authz) plan.accessClaims.permissions = permitted
  }
}

/** The user's permissions at the API that are still scopes the API defines. */
async function permittedAt(store: Store, userId: string, api: ResourceServer): Promise<string[]> {
  const defined = new Set(api.scopes.map((s) => s.value))
  return (await permissionsAt(store, userId, api.identifier)).filter((name) => defined.has(name))
}

/** OIDC scopes stay; an API scope stays only when the user is permitted it. */
function narrowScopes(plan: TokenPlan, permitted: ReadonlySet<string>): void {
  plan.scopes = plan.scopes.filter((scope) => isOidcScope(scope) || permitted.has(scope))
}
