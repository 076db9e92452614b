// Who calls the Management API: a bearer access token issued here for <issuer>api/v2/, and its scopes.

import { errors, jwtVerify, type JWTPayload } from 'jose'
import { isAccessTokenRevoked } from '../grants/revocation.js'
import type { Keystore } from '../keys/keystore.js'
import type { Store } from '../store/store.js'
import type { Clock } from '../util/clock.js'
import { ManagementError, Unauthorized } from './errors.js'
import { managementAudience } from './scopes.js'

export interface AuthDeps {
  keystore: Keystore
  store: Store
  clock: Clock
  config: { issuer: string }
}

export interface ManagementCaller {
  /** the client the token was issued to */
  clientId: string
  /** the token's sub: `<client_id>@clients` for client_credentials */
  sub: string
  scopes: ReadonlySet<string>
}

// Auth0's words (its API answers through hapi's bearer-token scheme).
export const MISSING_AUTHENTICATION = 'Missing authentication'
const INVALID_TOKEN = 'Invalid token'

/** The token in `Authorization: Bearer <token>`; undefined when the header is absent or names another scheme. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const header = authorization?.trim() ?? ''
  const [scheme = '', ...rest] = header.split(/\s+/)
  if (scheme.toLowerCase() !== 'bearer') return undefined
  if (rest.length !== 1) throw new Unauthorized(INVALID_TOKEN, 'invalid_token')
  return rest[0]!
}

/** Verifies the caller's token: signed here, by this issuer, for the Management API, unexpired and not revoked. */
export async function authenticate(deps: AuthDeps, authorization: string | undefined): Promise<ManagementCaller> {
  const token = bearerTokenOf(authorization)
  if (token === undefined) throw new Unauthorized(MISSING_AUTHENTICATION)
  const payload = await verify(deps, token)
  const audience = managementAudience(deps.config.issuer)
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  if (!aud.includes(audience)) throw new Unauthorized(`Bad audience: ${aud.filter((a) => a !== undefined).join(' ')}`, 'invalid_token')
  if (typeof payload.jti === 'string' && (await isAccessTokenRevoked(deps.store, payload.jti))) {
    throw new Unauthorized(INVALID_TOKEN, 'invalid_token')
  }
  const clientId = typeof payload.azp === 'string' ? payload.azp : typeof payload.client_id === 'string' ? payload.client_id : ''
  const scopes = new Set(typeof payload.scope === 'string' ? payload.scope.split(' ').filter((s) => s !== '') : [])
  return { clientId, sub: String(payload.sub ?? ''), scopes }
}

async function verify(deps: AuthDeps, token: string): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, deps.keystore.verifier, {
      issuer: deps.config.issuer,
      typ: 'at+jwt',
      currentDate: new Date(deps.clock.now()),
      algorithms: ['RS256', 'ES256'],
    })
    return payload
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new Unauthorized('Expired token received for JSON Web Token validation', 'invalid_token')
    if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) {
      throw new Unauthorized('Invalid signature received for JSON Web Token validation', 'invalid_token')
    }
    if (err instanceof errors.JOSEError) throw new Unauthorized(INVALID_TOKEN, 'invalid_token')
    throw err
  }
}

/** 403 unless the token has one of these scopes; Auth0 lists them comma-separated. */
export function requireScope(caller: ManagementCaller, anyOf: readonly string[]): void {
  if (anyOf.some((scope) => caller.scopes.has(scope))) return
  throw new ManagementError(403, `Insufficient scope, expected any of: ${anyOf.join(',')}`, 'insufficient_scope')
}
