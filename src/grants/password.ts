import { BLOCKED_MESSAGE } from '../attack-protection/brute-force.js'
import { InvalidGrant, TooManyAttempts } from '../errors/oauth-errors.js'
import { splitList } from '../authorize/params.js'
import { mayGetRefreshToken, resolveAudienceAndScopes } from '../scopes/scopes.js'
import { refuseIfBlocked } from '../tenant/users.js'
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

  const audience = request.params.audience ?? request.deps.config.tenant.default_audience
  const { api, scopes } = await resolveAudienceAndScopes(store, audience, splitList(request.params.scope), (named) =>
    mayGetRefreshToken(client, named),
  )

  // Wrong passwords count toward brute-force protection; a blocked user and IP get Auth0's 429.
  const check = await request.deps.bruteForce.verify(username, password, request.ip)
  if (check.result === 'blocked') throw new TooManyAttempts(BLOCKED_MESSAGE)
  if (check.result === 'wrong') throw new InvalidGrant('Wrong email or password.')
  const { user } = check
  // Only after the password matched, so the answer tells nothing to whoever does not know it.
  refuseIfBlocked(user)
  return issueTokens(request.deps, {
    trigger: 'password',
    request: request.request,
    client,
    user,
    api,
    scopes,
    authTime: epochSeconds(clock),
    gty: 'password',
  })
}
