import type { ClientGrant } from '../config/types.js'
import { AccessDenied, InvalidScope, UnauthorizedClient } from '../errors/oauth-errors.js'
import { splitList } from '../authorize/params.js'
import { managementApi, managementAudience } from '../management/scopes.js'
import { findApi } from '../scopes/scopes.js'
import { clientGrantId } from '../tenant/seed.js'
import type { GrantHandler } from './context.js'
import { issueTokens } from './issue-tokens.js'
import { requireGrantType } from './require.js'

// RFC 6749 §4.4 in Auth0's shape: an audience (or the tenant's default_audience), scopes limited to the client's client_grants entry.
export const clientCredentialsGrant: GrantHandler = async (request) => {
  requireGrantType(request, 'client_credentials')
  const { client, method } = request.auth
  if (method === 'none') throw new UnauthorizedClient('client_credentials needs a confidential client that authenticates')
  const { store, config } = request.deps
  const audience = request.params.audience ?? config.tenant.default_audience
  // Auth0's answer, word for word
  if (audience === undefined) throw new AccessDenied('No audience parameter was provided, and no default audience has been configured')
  // The Management API exists in every tenant without being configured, as in Auth0.
  const api = audience === managementAudience(config.issuer) ? managementApi(config.issuer) : await findApi(store, audience)
  const grant = await store.get<ClientGrant>('client_grant', clientGrantId(client.client_id, audience))
  // Auth0 answers 403 access_denied when no client grant links the client to the API.
  if (!grant) throw new AccessDenied(`client ${client.client_id} has no client grant for ${audience}`)

  const asked = request.params.scope === undefined ? grant.scope : splitList(request.params.scope)
  const outside = asked.filter((scope) => !grant.scope.includes(scope))
  if (outside.length > 0) {
    throw new InvalidScope(`client ${client.client_id} was not granted ${outside.join(' ')} for ${audience}`)
  }
  return issueTokens(request.deps, {
    trigger: 'client_credentials',
    request: request.request,
    client,
    api,
    scopes: asked,
    gty: 'client-credentials',
  })
}
