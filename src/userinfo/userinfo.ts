// The UserInfo response (OIDC Core §5.3): the token's user, with the claims its scope releases.
import type { User } from '../config/types.js'
import { InvalidToken } from '../errors/oauth-errors.js'
import { profileClaims } from '../tokens/claims.js'
import { verifyAccessToken, type VerifyDeps } from '../tokens/verify.js'

export async function userinfoClaims(deps: VerifyDeps, token: string): Promise<Record<string, unknown>> {
  const payload = await verifyAccessToken(deps, token)
  const audience = `${deps.config.issuer}userinfo`
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  if (!aud.includes(audience)) {
    throw new InvalidToken(`the access token is not meant for /userinfo: its aud does not include ${audience} (request the openid scope)`)
  }
  const user = typeof payload.sub === 'string' ? await deps.store.get<User>('user', payload.sub) : undefined
  if (!user) throw new InvalidToken('the user of this access token no longer exists')
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : []
  return { sub: user.user_id, ...profileClaims(user, scopes) }
}
