// POST /_gatehouse/tokens: tokens for the app's own tests of how it validates them — expired, signed with
// the previous key, with a key nobody published, or not signed at all. Built with jose directly: the
// protocol's minter refuses, rightly, every one of these.
import { SIGNING_ALGS } from '../config/schema.js'
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose'
import type { Config, SigningAlg } from '../config/types.js'
import type { Keystore } from '../keys/keystore.js'
import { epochSeconds, type Clock } from '../util/clock.js'
import type { IdGenerator } from '../util/ids.js'
import { ControlConflict } from './conflict.js'
import { readChoice, readClaims, readInteger, readObject, refuseUnknown } from './input.js'

const TOKEN_TYPES = ['access_token', 'id_token'] as const
const SIGNINGS = ['current', 'previous', 'unknown-key', 'none'] as const
/** ten years either way */
const MAX_SECONDS = 10 * 365 * 24 * 3600
const MAX_CLAIMS_BYTES = 8 * 1024
const DEFAULT_LIFETIME = 3600

export interface MintRequest {
  type: (typeof TOKEN_TYPES)[number]
  claims: Record<string, unknown>
  /** seconds from now; negative: already expired */
  expires_in: number
  signing: (typeof SIGNINGS)[number]
  alg: SigningAlg
}

export interface MintedTestToken {
  token: string
  /** null for an unsecured token */
  kid: string | null
  alg: string
  /** seconds since the epoch: the token's exp, if it has one */
  expires_at: number | null
  claims: JWTPayload
}

/** The keystore has no previous key to sign with (nothing was rotated yet). */
const noPreviousKey = (alg: SigningAlg) =>
  new ControlConflict('no_previous_key', `there is no previous ${alg} signing key: rotate the signing keys first (Management API POST /api/v2/keys/signing/rotate)`)

export function parseMintRequest(body: unknown): MintRequest {
  const input = readObject(body ?? {}, '')
  refuseUnknown(input, ['type', 'claims', 'expires_in', 'signing', 'alg'], '')
  return {
    type: readChoice(input, 'type', '', TOKEN_TYPES) ?? 'access_token',
    // Any claim may be set here, iss and exp included: that is what these tokens are for.
    claims: readClaims(input, 'claims', '', MAX_CLAIMS_BYTES, new Set()) ?? {},
    expires_in: readInteger(input, 'expires_in', '', -MAX_SECONDS, MAX_SECONDS) ?? DEFAULT_LIFETIME,
    signing: readChoice(input, 'signing', '', SIGNINGS) ?? 'current',
    alg: readChoice(input, 'alg', '', SIGNING_ALGS) ?? 'RS256',
  }
}

export interface TestTokenDeps {
  config: Config
  keystore: Keystore
  clock: Clock
  newId: IdGenerator
}

export interface TestTokenMinter {
  mint(request: MintRequest): Promise<MintedTestToken>
}

interface UnpublishedKey {
  kid: string
  privateKey: CryptoKey
}

export function createTestTokenMinter(deps: TestTokenDeps): TestTokenMinter {
  // Made once, when first asked for, and never published.
  const unpublished = new Map<SigningAlg, Promise<UnpublishedKey>>()
  const unpublishedKey = (alg: SigningAlg) => {
    let key = unpublished.get(alg)
    if (key === undefined) {
      key = makeUnpublishedKey(alg)
      unpublished.set(alg, key)
    }
    return key
  }

  async function keyFor(request: MintRequest): Promise<UnpublishedKey | undefined> {
    switch (request.signing) {
      case 'none':
        return undefined
      case 'unknown-key':
        return unpublishedKey(request.alg)
      case 'previous': {
        const previous = deps.keystore.keyRing(request.alg).previous
        if (previous === undefined) throw noPreviousKey(request.alg)
        return previous
      }
      case 'current':
        return deps.keystore.signingKey(request.alg)
    }
  }

  return {
    async mint(request) {
      const claims = { ...defaultClaims(deps, request), ...request.claims }
      const typ = request.type === 'access_token' ? 'at+jwt' : 'JWT'
      const key = await keyFor(request)
      const expiresAt = typeof claims.exp === 'number' ? claims.exp : null
      if (key === undefined) {
        return { token: unsecured(claims, typ), kid: null, alg: 'none', expires_at: expiresAt, claims }
      }
      const token = await new SignJWT(claims).setProtectedHeader({ alg: request.alg, kid: key.kid, typ }).sign(key.privateKey)
      return { token, kid: key.kid, alg: request.alg, expires_at: expiresAt, claims }
    },
  }
}

/** What a token of this type from this tenant would carry; the request's claims replace any of them. */
function defaultClaims(deps: TestTokenDeps, request: MintRequest): JWTPayload {
  const { tenant, issuer } = deps.config
  const iat = epochSeconds(deps.clock)
  const sub = tenant.users[0]?.user_id ?? 'gatehouse|test-user'
  const clientId = tenant.clients[0]?.client_id ?? 'gatehouse-test-client'
  const times = { iat, exp: iat + request.expires_in }
  if (request.type === 'id_token') return { iss: issuer, sub, aud: clientId, ...times, auth_time: iat }
  const aud = tenant.default_audience ?? tenant.resource_servers[0]?.identifier ?? `${issuer}userinfo`
  return { iss: issuer, sub, aud, ...times, jti: deps.newId(), client_id: clientId, azp: clientId }
}

/** An unsecured JWT (RFC 7519 §6): alg "none", and an empty signature. */
function unsecured(claims: JWTPayload, typ: string): string {
  const part = (value: unknown) => base64url.encode(JSON.stringify(value))
  return `${part({ alg: 'none', typ })}.${part(claims)}.`
}

async function makeUnpublishedKey(alg: SigningAlg): Promise<UnpublishedKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg)
  return { kid: await calculateJwkThumbprint(await exportJWK(publicKey)), privateKey }
}
