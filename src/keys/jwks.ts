// Public halves of the signing keys, as published at /.well-known/jwks.json.
import type { JWK } from 'jose'
import type { SigningAlg } from '../config/types.js'

// An allow-list, so a member we did not think of (d, p, q, dp, dq, qi, k, oth, ...) can never leak.
const PUBLIC_MEMBERS = {
  RSA: ['kty', 'n', 'e'],
  EC: ['kty', 'crv', 'x', 'y'],
} as const

const KEY_TYPE: Record<SigningAlg, { kty: 'RSA' | 'EC'; crv?: string }> = {
  RS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
}

/** Public members of `privateJwk` plus kid, alg and use: "sig". Throws if the key does not suit `alg`. */
export function toPublicJwk(privateJwk: JWK, alg: SigningAlg, kid: string): JWK {
  const expected = KEY_TYPE[alg]
  if (expected === undefined) throw new TypeError(`unsupported signing alg ${String(alg)}`)
  if (privateJwk.kty !== expected.kty) {
    throw new TypeError(`${alg} needs a ${expected.kty} key, got kty ${String(privateJwk.kty)}`)
  }
  if (expected.crv !== undefined && privateJwk.crv !== expected.crv) {
    throw new TypeError(`${alg} needs curve ${expected.crv}, got crv ${String(privateJwk.crv)}`)
  }
  const jwk: JWK = {}
  for (const member of PUBLIC_MEMBERS[expected.kty]) {
    const value = privateJwk[member]
    if (typeof value !== 'string' || value === '') throw new TypeError(`JWK member "${member}" is missing`)
    jwk[member] = value
  }
  jwk.kid = kid
  jwk.alg = alg
  jwk.use = 'sig'
  return jwk
}
