// The user's Actions as one stage of the token plan: post-login for flows that authenticate a user,
// credentials-exchange for client_credentials. It can also take up a login an Action paused.
import type { ActionTrigger } from '../config/types.js'
import type { TokenStage } from '../tokens/plan.js'
import { createActionCaches } from './cache.js'
import { createClaimCheck } from './claims.js'
import type { ResumableStage } from './continuation.js'
import { runCredentialsExchange } from './credentials-exchange.js'
import type { ActionsDeps } from './execute.js'
import { runPostLogin } from './post-login.js'

export function actionsStage(deps: Omit<ActionsDeps, 'caches' | 'tokenIssuer' | 'tenantId' | 'claimCheck'>): ResumableStage {
  const issuer = new URL(deps.config.issuer)
  const full: ActionsDeps = {
    ...deps,
    caches: createActionCaches(),
    // Auth0 names the tenant (event.tenant.id) and its domain (who signs redirect tokens); Gatehouse has its issuer
    tokenIssuer: issuer.host,
    tenantId: issuer.hostname,
    claimCheck: createClaimCheck(deps.config.issuer),
  }
  const ofTrigger = (trigger: ActionTrigger) => deps.runtime.actions.filter((action) => action.config.trigger === trigger)
  const postLogin = ofTrigger('post-login')
  const exchange = ofTrigger('credentials-exchange')
  const stage: TokenStage = (call, plan) =>
    call.trigger === 'client_credentials' ? runCredentialsExchange(full, exchange, call, plan) : runPostLogin(full, postLogin, call, plan)
  return Object.assign(stage, {
    clearCache: () => full.caches.clear(),
    resuming: (pause: Parameters<ResumableStage['resuming']>[0], state: string): TokenStage =>
      (call, plan) => runPostLogin(full, postLogin, call, plan, { pause, state }),
  })
}
