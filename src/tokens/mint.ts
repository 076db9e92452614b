// Signs access tokens (RFC 9068 JWT profile, in Auth0's shape) and OIDC ID tokens.
import { SignJWT } from 'jose'
import type { JWTPayload } from 'jose'
import type { ResourceServer, SigningAlg, User } from '../config/types.js'
import type { Keystore, SigningKey } from '../keys/keystore.js'
import { epochSeconds } from '../util/clock.js'
import type { Clock } from '../util/clock.js'
import type { IdGenerator } from '../util/ids.js'
import { profileClaims } from './claims.js'
import { halfHash } from './hash.js'

export interface AccessTokenInput {
  /** user_id, or `${client_id}@clients` for client_credentials (Auth0's shape) */
  sub: string
  clientId: string
  /** the audience; absent → a token only good for /userinfo */
  api?: ResourceServer
  /** already filtered by the caller */
  scope: readonly string[]
  /** openid was requested → aud also names `${issuer}userinfo` */
  userinfo: boolean
  /** seconds, chosen by the caller (token_lifetime_for_web etc.) */
  lifetime: number
  /** Auth0's grant type marker, e.g. "client-credentials", "password", "refresh_token" */
  gty?: string
  /** a token id chosen by the caller; a new one otherwise */
  jti?: string
  /** claims decided by the token plan (RBAC permissions, Actions, scenarios); protocol claims win */
  extraClaims?: Record<string, unknown>
}

export interface IdTokenInput {
  user: User
  clientId: string
  scope: readonly string[]
  /** seconds */
  lifetime: number
  /** seconds since the epoch */
  authTime?: number
  nonce?: string
  /** → at_hash */
  accessToken?: string
  /** → c_hash */
  code?: string
  /** session id */
  sid?: string
  /** the client's jwt_configuration.alg; RS256 when absent */
  alg?: SigningAlg
  /** claims decided by the token plan (Actions, scenarios); protocol claims win */
  extraClaims?: Record<string, unknown>
}

export interface MintedAccessToken {
  token: string
  expiresIn: number
  jti: string
  claims: JWTPayload
}

export interface Minter {
  accessToken(input: AccessTokenInput): Promise<MintedAccessToken>
  idToken(input: IdTokenInput): Promise<string>
}

export interface MinterDeps {
  keystore: Keystore
  clock: Clock
  newId: IdGenerator
  /** ends with "/", as Auth0's does */
  issuer: string
}

// OIDC requires every provider to support RS256 ID tokens, so every client can verify them: the default.
const ID_TOKEN_ALG: SigningAlg = 'RS256'

export function createMinter(deps: MinterDeps): Minter {
  const { keystore, clock, newId, issuer } = deps
  if (!issuer.endsWith('/')) throw new TypeError(`issuer must end with "/", got ${issuer}`)
  const userinfoAudience = `${issuer}userinfo`

  return {
    async accessToken(input) {
      assertLifetime(input.lifetime)
      // asked per token (a map look-up): a rotation changes the current key while the server runs
      const key = keystore.signingKey(input.api?.signing_alg ?? 'RS256')
      const iat = epochSeconds(clock)
      const jti = input.jti ?? newId()
      // Custom claims first, then the protocol's, which they can never shadow. Written into one object
      // rather than spread into a literal: a spread of claims named like URLs took V8 over 10 µs.
      const claims: JWTPayload = withCustomClaims({}, input.extraClaims)
      claims.iss = issuer
      claims.sub = input.sub
      claims.aud = accessTokenAudience(input, userinfoAudience)
      claims.iat = iat
      claims.exp = iat + input.lifetime
      if (input.scope.length > 0) claims.scope = input.scope.join(' ')
      claims.jti = jti
      claims.client_id = input.clientId
      claims.azp = input.clientId
      if (input.gty !== undefined) claims.gty = input.gty
      const token = await sign(claims, key, 'at+jwt')
      return { token, expiresIn: input.lifetime, jti, claims }
    },

    async idToken(input) {
      assertLifetime(input.lifetime)
      const alg = input.alg ?? ID_TOKEN_ALG
      const iat = epochSeconds(clock)
      // Profile and custom claims first, so the protocol claims below can never be shadowed by them.
      const claims: JWTPayload = withCustomClaims(profileClaims(input.user, input.scope), input.extraClaims)
      claims.iss = issuer
      claims.sub = input.user.user_id
      claims.aud = input.clientId
      claims.iat = iat
      claims.exp = iat + input.lifetime
      if (input.authTime !== undefined) claims.auth_time = input.authTime
      if (input.nonce !== undefined) claims.nonce = input.nonce
      if (input.accessToken !== undefined) claims.at_hash = halfHash(input.accessToken, alg)
      if (input.code !== undefined) claims.c_hash = halfHash(input.code, alg)
      if (input.sid !== undefined) claims.sid = input.sid
      return sign(claims, keystore.signingKey(alg), 'JWT')
    },
  }
}

/** A string for one audience (Auth0 and most APIs compare it as a string); an array only for two. */
function accessTokenAudience(input: AccessTokenInput, userinfoAudience: string): string | string[] {
  if (input.api === undefined) return userinfoAudience
  return input.userinfo ? [input.api.identifier, userinfoAudience] : input.api.identifier
}

/** Claims only the signer sets: a plan can never forge who issued a token, for whom, or until when. */
export const PROTOCOL_CLAIMS: ReadonlySet<string> = new Set([
  'iss', 'sub', 'aud', 'iat', 'exp', 'nbf', 'jti', 'scope', 'client_id', 'azp', 'gty',
  'auth_time', 'nonce', 'at_hash', 'c_hash', 'sid', 'cnf', 'act',
])

/** `claims` with the extra claims written into it, but none the signer alone sets (PROTOCOL_CLAIMS). */
function withCustomClaims(claims: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  if (extra === undefined) return claims
  for (const [name, value] of Object.entries(extra)) if (!PROTOCOL_CLAIMS.has(name) && value !== undefined) claims[name] = value
  return claims
}

function sign(claims: JWTPayload, key: SigningKey, typ: string): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid, typ }).sign(key.privateKey)
}

function assertLifetime(lifetime: number): void {
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0) {
    throw new RangeError(`token lifetime must be a positive whole number of seconds, got ${lifetime}`)
  }
}
