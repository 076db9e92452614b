// OpenID Connect RP-Initiated Logout 1.0 §2-§3 at the end_session_endpoint.
import type { Client } from '../config/types.js'
import { UntrustedRequest } from '../errors/oauth-errors.js'
import type { Keystore } from '../keys/keystore.js'
import type { Store } from '../store/store.js'
import { readParam } from '../util/form-params.js'
import { verifyIdTokenHint } from './id-token-hint.js'
import { withQuery } from '../util/url.js'
import { isAllowedLogoutUrl } from './logout-urls.js'
import type { LogoutOutcome } from './outcome.js'

export interface EndSessionDeps {
  store: Store
  keystore: Keystore
  config: { issuer: string }
}

/** logout_hint and ui_locales are accepted and ignored: there is one session per browser and one language. */
export async function checkEndSessionRequest(deps: EndSessionDeps, params: unknown): Promise<LogoutOutcome> {
  const idTokenHint = readParam(params, 'id_token_hint')
  const clientIdParam = readParam(params, 'client_id')
  const redirectUri = readParam(params, 'post_logout_redirect_uri')
  const state = readParam(params, 'state')
  readParam(params, 'logout_hint')
  readParam(params, 'ui_locales')

  const hint = idTokenHint === undefined ? undefined : await verifyIdTokenHint(deps, idTokenHint)
  if (hint && clientIdParam !== undefined && clientIdParam !== hint.clientId) {
    throw new UntrustedRequest('invalid_request', `client_id ${clientIdParam} does not match the audience of id_token_hint (${hint.clientId})`)
  }
  const clientId = hint?.clientId ?? clientIdParam
  const client = clientId === undefined ? undefined : await deps.store.get<Client>('client', clientId)
  if (clientId !== undefined && !client) throw new UntrustedRequest('invalid_client', `unknown client_id ${clientId}`)
  if (redirectUri === undefined) return { clientName: client?.name, clientId }
  if (!client) {
    throw new UntrustedRequest('invalid_request', 'post_logout_redirect_uri needs id_token_hint or client_id, to know whose allowed_logout_urls to check')
  }
  if (!isAllowedLogoutUrl(client.allowed_logout_urls, redirectUri)) {
    throw new UntrustedRequest(
      'invalid_request',
      `post_logout_redirect_uri ${redirectUri} is not in the allowed_logout_urls of client ${client.client_id}`,
    )
  }
  return { redirect: withQuery(redirectUri, { state }), clientName: client.name, clientId }
}
