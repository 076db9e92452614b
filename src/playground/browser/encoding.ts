// base64url, random values and SHA-256 with the browser's own Web Crypto API.

export function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='))
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

export const utf8 = (text: string) => new TextEncoder().encode(text)

/** `bytes` random bytes as base64url: 16 bytes → 22 characters. */
export function randomString(bytes = 16): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** Web Crypto exists only in a secure context: https, or http on localhost / 127.0.0.1. */
export function hasWebCrypto(): boolean {
  return typeof crypto !== 'undefined' && crypto.subtle !== undefined
}

export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text)))
}

/** PKCE S256 (RFC 7636 §4.2): BASE64URL(SHA-256(ASCII(code_verifier))). */
export async function codeChallenge(verifier: string): Promise<string> {
  return base64url(await sha256(verifier))
}

/** at_hash / c_hash for RS256 and ES256 (OIDC Core §3.2.2.9): the left half of SHA-256, base64url. */
export async function halfHash(value: string): Promise<string> {
  const digest = await sha256(value)
  return base64url(digest.slice(0, digest.length / 2))
}
