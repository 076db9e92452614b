// The UserInfo response (OIDC Core §5.3): the token's user, with the claims its scope releases.
import type { User } from '../config/types.js'
import { scriptedError } from '../controls/scenario-errors.js'
import { isClaims, isError } from '../controls/scenario-types.js'
import type { ScenarioDeps } from '../controls/scenarios.js'
import { InvalidToken } from '../errors/oauth-errors.js'
import { profileClaims } from '../tokens/claims.js'
import { verifyAccessToken, type VerifyDeps } from '../tokens/verify.js'

export async function userinfoClaims(deps: VerifyDeps & ScenarioDeps, token: string): Promise<Record<string, unknown>> {
  const payload = await verifyAccessToken(deps, token)
  const audience = `${deps.config.issuer}userinfo`
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  if (!aud.includes(audience)) {
    throw new InvalidToken(`the access token is not meant for /userinfo: its aud does not include ${audience} (request the openid scope)`)
  }
  const user = typeof payload.sub === 'string' ? await deps.store.get<User>('user', payload.sub) : undefined
  if (!user) throw new InvalidToken('the user of this access token no longer exists')
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : []
  const claims = { sub: user.user_id, ...profileClaims(user, scopes) }
  // Test controls only: a scripted answer for a token that passed every check.
  const clientId = typeof payload.client_id === 'string' ? payload.client_id : undefined
  const scenario = deps.scenarios?.take('userinfo', { client_id: clientId, user_id: user.user_id }, ['error', 'claims'])
  if (scenario === undefined) return claims
  if (isError(scenario.respond)) throw scriptedError('userinfo', scenario.respond)
  return isClaims(scenario.respond) ? { ...claims, ...scenario.respond.claims, sub: user.user_id } : claims
}
