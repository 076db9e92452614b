import type { Store } from '../store/store.js'

// Revocations are kept only as long as what they revoke could still be used. Each access token of a
// refresh token family is linked to its family by one small entry of its own, so issuing a token
// costs the same however long the family has lived, and revoking a family reaches all of its
// access tokens without listing them.

export async function revokeAccessToken(store: Store, jti: string, secondsLeft: number): Promise<void> {
  if (secondsLeft > 0) await store.set('revoked', `jti:${jti}`, true, secondsLeft)
}

/** Links an access token to its refresh token family for as long as the token lives (RFC 7009 §2.1). */
export async function linkToFamily(store: Store, jti: string, family: string, secondsLeft: number): Promise<void> {
  if (secondsLeft > 0) await store.set('token_family', jti, family, secondsLeft)
}

export async function isAccessTokenRevoked(store: Store, jti: string): Promise<boolean> {
  if ((await store.get<boolean>('revoked', `jti:${jti}`)) === true) return true
  const family = await store.get<string>('token_family', jti)
  return family !== undefined && (await isFamilyRevoked(store, family))
}

/** Revokes every refresh token of one login and the access tokens issued with them (reuse detection, code replay, RFC 7009). */
export async function revokeFamily(store: Store, family: string, ttlSeconds: number): Promise<void> {
  await store.set('revoked', `family:${family}`, true, ttlSeconds)
}

export async function isFamilyRevoked(store: Store, family: string): Promise<boolean> {
  return (await store.get<boolean>('revoked', `family:${family}`)) === true
}
