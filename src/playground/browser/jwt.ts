// Reading and verifying a JWT (RFC 7519) by hand: three base64url parts, header.payload.signature,
// the signature computed over "header.payload" with the key the header's kid names in the JWKS.
import { fromBase64url, utf8 } from './encoding.js'

export interface DecodedJwt {
  header: Record<string, unknown>
  payload: Record<string, unknown>
}

/** undefined when `token` is not a JWT (an opaque token, or garbage). */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.')
  if (parts.length !== 3) return undefined
  try {
    const json = (part: string) => JSON.parse(new TextDecoder().decode(fromBase64url(part))) as Record<string, unknown>
    return { header: json(parts[0]!), payload: json(parts[1]!) }
  } catch {
    return undefined
  }
}

export interface Jwks {
  keys: (JsonWebKey & { kid?: string })[]
}

export interface SignatureCheck {
  ok: boolean
  /** what was found out, in one sentence */
  detail: string
}

// How each JWS algorithm maps onto Web Crypto (RFC 7518 §3.3 and §3.4).
const ALGORITHMS: Record<string, { importAs: RsaHashedImportParams | EcKeyImportParams; verifyAs: AlgorithmIdentifier | EcdsaParams }> = {
  RS256: {
    importAs: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    verifyAs: 'RSASSA-PKCS1-v1_5',
  },
  // JWS writes ECDSA signatures as r || s, which is also what Web Crypto expects.
  ES256: {
    importAs: { name: 'ECDSA', namedCurve: 'P-256' },
    verifyAs: { name: 'ECDSA', hash: 'SHA-256' },
  },
}

/** Verifies the signature with the JWKS key whose kid the header names. Never trust "alg": none. */
export async function verifySignature(token: string, jwks: Jwks): Promise<SignatureCheck> {
  const decoded = decodeJwt(token)
  if (!decoded) return { ok: false, detail: 'not a JWT: nothing to verify' }
  const { alg, kid } = decoded.header
  const algorithm = typeof alg === 'string' ? ALGORITHMS[alg] : undefined
  if (!algorithm) return { ok: false, detail: `alg ${JSON.stringify(alg)} is not one this app accepts (RS256, ES256)` }
  const jwk = jwks.keys.find((key) => key.kid === kid)
  if (!jwk) return { ok: false, detail: `no key in the JWKS has kid ${JSON.stringify(kid)}` }
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const key = await crypto.subtle.importKey('jwk', jwk, algorithm.importAs, false, ['verify'])
  const ok = await crypto.subtle.verify(algorithm.verifyAs, key, fromBase64url(signature), utf8(`${header}.${payload}`))
  return ok
    ? { ok, detail: `signature verified: ${alg} with the JWKS key kid ${String(kid)}` }
    : { ok, detail: `signature does NOT match the JWKS key kid ${String(kid)}: the token was changed, or signed by someone else` }
}

let cachedJwks: Promise<Jwks> | undefined

/** The issuer's public keys, fetched once per page (an app would also refetch on an unknown kid). */
export function fetchJwks(url: string): Promise<Jwks> {
  cachedJwks ??= fetch(url).then((res) => res.json() as Promise<Jwks>)
  return cachedJwks
}
