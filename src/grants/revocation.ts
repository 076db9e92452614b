import type { Store } from '../store/store.js'

// Revocations are kept only as long as what they revoke could still be used.

export async function revokeAccessToken(store: Store, jti: string, secondsLeft: number): Promise<void> {
  if (secondsLeft > 0) await store.set('revoked', `jti:${jti}`, true, secondsLeft)
}

export async function isAccessTokenRevoked(store: Store, jti: string): Promise<boolean> {
  return (await store.get<boolean>('revoked', `jti:${jti}`)) === true
}

/** Access tokens issued within one refresh token family, so revoking the family reaches them too (RFC 7009 §2.1). */
interface FamilyTokens {
  tokens: { jti: string; exp: number }[]
}

export async function rememberFamilyToken(
  store: Store,
  family: string,
  token: { jti: string; exp: number },
  ttlSeconds: number,
  nowSeconds: number,
): Promise<void> {
  const known = await store.get<FamilyTokens>('token_family', family)
  const live = (known?.tokens ?? []).filter((entry) => entry.exp > nowSeconds)
  await store.set<FamilyTokens>('token_family', family, { tokens: [...live, token] }, ttlSeconds)
}

/** Revokes every refresh token of one login and the access tokens issued with them (reuse detection, code replay, RFC 7009). */
export async function revokeFamily(store: Store, family: string, ttlSeconds: number, nowSeconds: number): Promise<void> {
  await store.set('revoked', `family:${family}`, true, ttlSeconds)
  const known = await store.consume<FamilyTokens>('token_family', family)
  for (const { jti, exp } of known?.tokens ?? []) await revokeAccessToken(store, jti, exp - nowSeconds)
}

export async function isFamilyRevoked(store: Store, family: string): Promise<boolean> {
  return (await store.get<boolean>('revoked', `family:${family}`)) === true
}
