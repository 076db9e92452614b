// One signing key's material: generated, or read from its private JWK text and checked before use.
import { calculateJwkThumbprint, compactVerify, CompactSign, exportJWK, generateKeyPair, importJWK } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import type { SigningAlg } from '../config/types.js'
import { toPublicJwk } from './jwks.js'
import { KeystoreError } from './keystore-error.js'

export interface SigningKey {
  kid: string
  alg: SigningAlg
  privateKey: CryptoKey
}

export interface LoadedKey {
  signingKey: SigningKey
  publicJwk: JWK
}

export interface GeneratedKey extends LoadedKey {
  /** the private JWK as it is stored */
  text: string
}

const REQUIRED_PRIVATE_MEMBERS: Record<SigningAlg, readonly string[]> = {
  RS256: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  ES256: ['x', 'y', 'd'],
}

/** Where new keys come from: generateSigningKey, unless a test hands out keys it made beforehand. */
export type KeyGenerator = (alg: SigningAlg) => Promise<GeneratedKey>

/** A new key (RSA 2048 or P-256); its kid is the RFC 7638 thumbprint. */
export async function generateSigningKey(alg: SigningAlg): Promise<GeneratedKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true })
  return newSigningKey(await exportJWK(privateKey), alg)
}

/** A key that no keystore has used yet, from its private JWK, ready to be stored. */
export async function newSigningKey(jwk: JWK, alg: SigningAlg): Promise<GeneratedKey> {
  const privateJwk: JWK = { ...jwk, alg }
  const kid = await calculateJwkThumbprint(privateJwk)
  // Signing never needs the key out again: keep a copy that cannot be exported.
  const signingCopy = (await importJWK(privateJwk, alg, { extractable: false })) as CryptoKey
  return {
    text: `${JSON.stringify(privateJwk, null, 2)}\n`,
    signingKey: { kid, alg, privateKey: signingCopy },
    publicJwk: toPublicJwk(privateJwk, alg, kid),
  }
}

/**
 * The key in `text`, checked: the right type for alg, every private member, and (with `checkPair`, one
 * signature) a private half that belongs to the public one. `label` names it in errors, `remedy` says
 * what the user can do.
 */
export async function loadSigningKey(label: string, text: string, alg: SigningAlg, remedy: string, checkPair = true): Promise<LoadedKey> {
  const privateJwk = parsePrivateJwk(label, text, alg, remedy)
  try {
    // RFC 7638 hashes only the required public members, so the private JWK gives the same kid.
    const kid = await calculateJwkThumbprint(privateJwk)
    const publicJwk = toPublicJwk(privateJwk, alg, kid)
    const privateKey = (await importJWK(privateJwk, alg, { extractable: false })) as CryptoKey
    if (checkPair) await assertKeyPairMatches(privateKey, publicJwk, alg)
    return { signingKey: { kid, alg, privateKey }, publicJwk }
  } catch (err) {
    throw keyError(label, `is not a usable ${alg} private key (${messageOf(err)})`, remedy, err)
  }
}

function parsePrivateJwk(label: string, text: string, alg: SigningAlg, remedy: string): JWK {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw keyError(label, `is not valid JSON (${messageOf(err)})`, remedy, err)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw keyError(label, 'does not hold a JSON object (a private JWK)', remedy)
  }
  const jwk = value as JWK
  const expectedKty = alg === 'RS256' ? 'RSA' : 'EC'
  if (jwk.kty !== expectedKty) {
    throw keyError(label, `must hold a ${expectedKty} key for ${alg}, found kty ${JSON.stringify(jwk.kty)}`, remedy)
  }
  if (alg === 'ES256' && jwk.crv !== 'P-256') {
    throw keyError(label, `must hold a P-256 key for ES256, found crv ${JSON.stringify(jwk.crv)}`, remedy)
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw keyError(label, `is marked for alg ${JSON.stringify(jwk.alg)}, expected ${alg}`, remedy)
  }
  const members = value as Record<string, unknown>
  const missing = REQUIRED_PRIVATE_MEMBERS[alg].filter((m) => typeof members[m] !== 'string' || members[m] === '')
  if (missing.length > 0) throw keyError(label, `is missing private JWK member(s) ${missing.join(', ')}`, remedy)
  return jwk
}

// A file whose members were edited or mixed from two keys can import fine and still sign tokens
// nobody can verify; one signature at start catches that (for the keys that sign: an RSA signature
// costs a cold start about a millisecond).
async function assertKeyPairMatches(privateKey: CryptoKey, publicJwk: JWK, alg: SigningAlg): Promise<void> {
  const probe = new TextEncoder().encode('gatehouse key check')
  const jws = await new CompactSign(probe).setProtectedHeader({ alg }).sign(privateKey)
  try {
    await compactVerify(jws, await importJWK(publicJwk, alg))
  } catch {
    throw new Error('its private and public members do not belong to the same key')
  }
}

/** A stored key whose content is wrong; never replaced silently, since that would orphan issued tokens. */
function keyError(label: string, problem: string, remedy: string, cause?: unknown): KeystoreError {
  return new KeystoreError(`${label} ${problem}; ${remedy}`, cause === undefined ? undefined : { cause })
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
