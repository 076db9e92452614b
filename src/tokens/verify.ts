import { errors, jwtVerify, type JWTPayload } from 'jose'
import { InvalidToken } from '../errors/oauth-errors.js'
import { isAccessTokenRevoked } from '../grants/revocation.js'
import type { Keystore } from '../keys/keystore.js'
import type { Store } from '../store/store.js'
import type { Clock } from '../util/clock.js'

export interface VerifyDeps {
  keystore: Keystore
  store: Store
  clock: Clock
  config: { issuer: string }
}

/** Verifies an access token Gatehouse issued: signature, typ at+jwt, issuer, expiry, not revoked. */
export async function verifyAccessToken(deps: VerifyDeps, token: string): Promise<JWTPayload> {
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, deps.keystore.verifier, {
      issuer: deps.config.issuer,
      typ: 'at+jwt',
      currentDate: new Date(deps.clock.now()),
      algorithms: ['RS256', 'ES256'],
    }))
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new InvalidToken('the access token expired')
    if (err instanceof errors.JOSEError) throw new InvalidToken(`the access token is not valid: ${err.message}`)
    throw err
  }
  if (typeof payload.jti === 'string' && (await isAccessTokenRevoked(deps.store, payload.jti))) {
    throw new InvalidToken('the access token was revoked')
  }
  return payload
}
