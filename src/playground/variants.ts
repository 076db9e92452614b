// Copies of a playground access token that an API must refuse: expired, or for another audience. Both are
// re-signed with the real key, so that only the claim in question is wrong. Only access tokens issued to the
// playground client are copied, and a copy can only be worse than its original: older, or for an audience
// no API can have (.invalid is reserved, RFC 2606).
import { decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose'
import type { SigningAlg } from '../config/types.js'
import { InvalidRequest } from '../errors/oauth-errors.js'
import type { Keystore } from '../keys/keystore.js'
import { epochSeconds, type Clock } from '../util/clock.js'
import { PLAYGROUND_CLIENT_ID } from './urls.js'

export const VARIANTS = ['expired', 'wrong-audience'] as const
export type Variant = (typeof VARIANTS)[number]

export const WRONG_AUDIENCE = 'https://wrong-audience.invalid/'

export interface VariantDeps {
  keystore: Keystore
  clock: Clock
  issuer: string
}

export async function makeVariant(deps: VariantDeps, token: string, variant: Variant): Promise<string> {
  let payload: JWTPayload
  try {
    ;({ payload } = await jwtVerify(token, deps.keystore.verifier, {
      issuer: deps.issuer,
      typ: 'at+jwt',
      algorithms: ['RS256', 'ES256'],
      currentDate: new Date(deps.clock.now()),
    }))
  } catch {
    throw new InvalidRequest('token must be a current access token issued by this server')
  }
  if (payload.azp !== PLAYGROUND_CLIENT_ID) {
    throw new InvalidRequest(`only access tokens issued to ${PLAYGROUND_CLIENT_ID} are copied`)
  }
  const claims: JWTPayload = { ...payload }
  if (variant === 'expired') {
    const lifetime = Number(payload.exp) - Number(payload.iat)
    claims.exp = epochSeconds(deps.clock) - 60
    claims.iat = claims.exp - lifetime
  } else {
    claims.aud = WRONG_AUDIENCE
  }
  const alg = decodeProtectedHeader(token).alg as SigningAlg
  const key = deps.keystore.signingKey(alg)
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key.kid, typ: 'at+jwt' }).sign(key.privateKey)
}
