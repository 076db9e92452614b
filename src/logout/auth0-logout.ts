// Auth0's GET /v2/logout: returnTo must be an allowed logout URL of the client, or of the tenant without one.
import type { Client } from '../config/types.js'
import { UntrustedRequest } from '../errors/oauth-errors.js'
import type { Store } from '../store/store.js'
import { readParam } from '../util/form-params.js'
import { isAllowedLogoutUrl, tenantLogoutUrls } from './logout-urls.js'
import type { LogoutOutcome } from './outcome.js'

export async function checkAuth0Logout(store: Store, query: unknown): Promise<LogoutOutcome> {
  const clientId = readParam(query, 'client_id')
  const returnTo = readParam(query, 'returnTo')
  if (clientId === undefined) {
    if (returnTo === undefined) return {}
    if (!isAllowedLogoutUrl(await tenantLogoutUrls(store), returnTo)) {
      throw new UntrustedRequest('invalid_request', `returnTo ${returnTo} is not in any client's allowed_logout_urls`)
    }
    return { redirect: returnTo }
  }
  const client = await store.get<Client>('client', clientId)
  if (!client) throw new UntrustedRequest('invalid_client', `unknown client_id ${clientId}`)
  // Auth0 sends the browser to the client's first allowed logout URL when returnTo is left out.
  if (returnTo === undefined) return { redirect: client.allowed_logout_urls[0], clientName: client.name, clientId }
  if (!isAllowedLogoutUrl(client.allowed_logout_urls, returnTo)) {
    throw new UntrustedRequest('invalid_request', `returnTo ${returnTo} is not in the allowed_logout_urls of client ${clientId}`)
  }
  return { redirect: returnTo, clientName: client.name, clientId }
}
