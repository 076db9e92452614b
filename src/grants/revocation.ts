import type { Store } from '../store/store.js'

// Revocations are kept only as long as what they revoke could still be used.

export async function revokeAccessToken(store: Store, jti: string, secondsLeft: number): Promise<void> {
  if (secondsLeft > 0) await store.set('revoked', `jti:${jti}`, true, secondsLeft)
}

export async function isAccessTokenRevoked(store: Store, jti: string): Promise<boolean> {
  return (await store.get<boolean>('revoked', `jti:${jti}`)) === true
}

/** Revokes every refresh token of one login (reuse detection, code replay, RFC 7009 revocation). */
export async function revokeFamily(store: Store, family: string, ttlSeconds: number): Promise<void> {
  await store.set('revoked', `family:${family}`, true, ttlSeconds)
}

export async function isFamilyRevoked(store: Store, family: string): Promise<boolean> {
  return (await store.get<boolean>('revoked', `family:${family}`)) === true
}
