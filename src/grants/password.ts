import type { ResourceServer } from '../config/types.js'
import { AccessDenied, InvalidGrant, InvalidScope } from '../errors/oauth-errors.js'
import { splitList } from '../authorize/params.js'
import { checkRequestedScopes, mayGetRefreshToken } from '../scopes/scopes.js'
import { verifyCredentials } from '../tenant/users.js'
import { epochSeconds } from '../util/clock.js'
import type { GrantHandler } from './context.js'
import { issueTokens } from './issue-tokens.js'
import { requireGrantType, requireParam } from './require.js'

// Resource Owner Password Credentials (RFC 6749 §4.3): off unless the client has the grant type; for headless tests.
export const passwordGrant: GrantHandler = async (request) => {
  requireGrantType(request, 'password')
  const { store, clock } = request.deps
  const { client } = request.auth
  const username = requireParam(request, 'username')
  const password = requireParam(request, 'password')

  let api: ResourceServer | undefined
  const audience = request.params.audience
  if (audience !== undefined) {
    api = await store.get<ResourceServer>('resource_server', audience)
    if (!api) throw new AccessDenied(`Service not found: ${audience}`)
  }
  const apis = api ? [] : await store.list<ResourceServer>('resource_server')
  const checked = checkRequestedScopes(splitList(request.params.scope), api, (scope) =>
    apis.find((candidate) => candidate.scopes.some((s) => s.value === scope)),
  )
  if (!checked.ok) throw new InvalidScope(checked.description)

  const user = await verifyCredentials(store, username, password)
  if (!user) throw new InvalidGrant('Wrong email or password.')
  const refreshable = mayGetRefreshToken(client, api)
  const scopes = checked.scopes.filter((scope) => scope !== 'offline_access' || refreshable)
  const issued = await issueTokens(request.deps, {
    client,
    user,
    api,
    scopes,
    authTime: epochSeconds(clock),
    gty: 'password',
  })
  return issued.response
}
