import { InvalidGrant } from '../errors/oauth-errors.js'
import { splitList } from '../authorize/params.js'
import { mayGetRefreshToken, resolveAudienceAndScopes } from '../scopes/scopes.js'
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

  const { api, scopes } = await resolveAudienceAndScopes(store, request.params.audience, splitList(request.params.scope), (named) =>
    mayGetRefreshToken(client, named),
  )

  const user = await verifyCredentials(store, username, password)
  if (!user) throw new InvalidGrant('Wrong email or password.')
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
