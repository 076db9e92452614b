// The credentials-exchange trigger as a token-plan stage of the client_credentials grant: Actions
// see the client, the API and the requested scopes, may add custom claims to the access token, and
// may deny the exchange with one of the OAuth error codes Auth0 accepts there.
import { OAuthError, type OAuthErrorCode } from '../errors/oauth-errors.js'
import type { TokenCall, TokenPlan } from '../tokens/plan.js'
import { applyClaim, checkClaimsSize } from './claims.js'
import { credentialsExchangeEvent, type CredentialsExchangeEvent } from './event.js'
import { actionLabel, execute, type ActionsDeps } from './execute.js'
import type { LoadedAction } from './load.js'

/** The codes api.access.deny(code, reason) may give, with the status each answers. */
const DENY_CODES: ReadonlyMap<string, number> = new Map([
  ['invalid_scope', 400],
  ['invalid_request', 400],
  ['unauthorized_client', 400],
  ['access_denied', 403],
  ['server_error', 500],
])

export async function runCredentialsExchange(deps: ActionsDeps, actions: readonly LoadedAction[], call: TokenCall, plan: TokenPlan): Promise<void> {
  if (actions.length === 0 || call.trigger !== 'client_credentials') return
  const base = credentialsExchangeEvent({ call, scopes: plan.scopes, tenant: deps.tenantId })
  const customClaims: Record<string, unknown> = {}
  const handler = 'onExecuteCredentialsExchange'
  for (const action of actions) {
    const event: CredentialsExchangeEvent = {
      ...base,
      accessToken: { customClaims: { ...customClaims }, scope: [...plan.scopes] },
      secrets: { ...action.config.secrets },
    }
    const commands = await execute(deps, {
      action,
      handler,
      event,
      context: { tokenIssuer: deps.tokenIssuer },
      flow: { client_id: call.client.client_id },
    })
    const label = actionLabel(action, handler)
    for (const command of commands) {
      if (command.type === 'deny') throw denial(label, command.code ?? '', command.reason)
      if (command.type === 'claim') applyClaim(deps, label, command, call.api?.identifier, [customClaims, plan.accessClaims])
    }
  }
  checkClaimsSize('access', customClaims)
}

function denial(label: string, code: string, reason: string): OAuthError {
  const status = DENY_CODES.get(code)
  if (status === undefined) {
    return new OAuthError('server_error', `${label} denied the exchange with ${JSON.stringify(code)}, which is not one of ${[...DENY_CODES.keys()].join(', ')}`, 500)
  }
  return new OAuthError(code as OAuthErrorCode, reason, status)
}
