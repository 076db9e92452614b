// What one rotation state publishes, built once per state: each algorithm's key ring, the JWKS and a
// key resolver over it. Signing and verifying read only this, never the storage.
import { createLocalJWKSet } from 'jose'
import type { JWK, JWTVerifyGetKey } from 'jose'
import type { SigningAlg } from '../config/types.js'
import type { LoadedKey, SigningKey } from './key-material.js'
import { generationWithRole, publishedGenerations, SIGNING_ALGS, type RotationState } from './rotation.js'

/** Auth0's rotation roles of one algorithm's keys: all three are published in the JWKS. */
export interface KeyRing {
  /** signs every new token */
  current: SigningKey
  /** published ahead of time; becomes current at the next rotation */
  next?: SigningKey
  /** the current key before the last rotation: still published (its tokens verify) until revoked */
  previous?: SigningKey
}

export interface KeyView {
  state: RotationState
  rings: ReadonlyMap<SigningAlg, KeyRing>
  /** current keys, then next, then previous; frozen */
  jwks: { keys: JWK[] }
  keySet: JWTVerifyGetKey
}

/** The kids of a state's published keys, each with whether it signs (a current key). */
export function publishedKeys(state: RotationState): { kid: string; alg: SigningAlg; signs: boolean }[] {
  return publishedGenerations(state).flatMap((g) => SIGNING_ALGS.map((alg) => ({ kid: g.kids[alg], alg, signs: g.role === 'current' })))
}

/** The view of a state whose published keys are all loaded (`keyOf` finds them). */
export function keyView(state: RotationState, keyOf: (kid: string) => LoadedKey): KeyView {
  const signer = (role: 'current' | 'next' | 'previous', alg: SigningAlg): SigningKey | undefined => {
    const generation = generationWithRole(state, role)
    return generation === undefined ? undefined : Object.freeze(keyOf(generation.kids[alg]).signingKey)
  }
  const rings = new Map<SigningAlg, KeyRing>()
  for (const alg of SIGNING_ALGS) {
    const ring: KeyRing = { current: signer('current', alg)! }
    const next = signer('next', alg)
    const previous = signer('previous', alg)
    if (next !== undefined) ring.next = next
    if (previous !== undefined) ring.previous = previous
    rings.set(alg, Object.freeze(ring))
  }
  const jwks = deepFreeze({ keys: publishedKeys(state).map(({ kid }) => structuredClone(keyOf(kid).publicJwk)) })
  return { state, rings, jwks, keySet: createLocalJWKSet(jwks) }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member)
    Object.freeze(value)
  }
  return value
}
