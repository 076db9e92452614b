import type { ResourceServer } from '../../config/types.js'
import { AccessDenied, InvalidScope } from '../../errors/oauth-errors.js'
import { checkRequestedScopes, mayGetRefreshToken } from '../../scopes/scopes.js'
import { splitList } from '../params.js'
import type { AuthorizeContext } from '../context.js'

// audience names an API (Auth0's extension); scopes must be OIDC ones or defined by that API.
export async function checkAudienceAndScope(ctx: AuthorizeContext): Promise<void> {
  const { store } = ctx.deps
  const audience = ctx.params.audience
  if (audience !== undefined) {
    const api = await store.get<ResourceServer>('resource_server', audience)
    if (!api) throw new AccessDenied(`Service not found: ${audience}`)
    ctx.api = api
  }
  const requested = splitList(ctx.params.scope)
  const apis = ctx.api ? [] : await store.list<ResourceServer>('resource_server')
  const result = checkRequestedScopes(requested, ctx.api, (scope) =>
    apis.find((api) => api.scopes.some((s) => s.value === scope)),
  )
  if (!result.ok) throw new InvalidScope(result.description)
  // offline_access is only meaningful where a refresh token can be issued: otherwise it is left out of the grant.
  const refreshable = ctx.responseTypes.has('code') && mayGetRefreshToken(ctx.client!, ctx.api)
  ctx.scopes = result.scopes.filter((scope) => scope !== 'offline_access' || refreshable)
}
