// at_hash and c_hash (OIDC Core 3.1.3.6 and 3.3.2.11) bind an ID token to the tokens issued with it.
import { createHash } from 'node:crypto'
import type { SigningAlg } from '../config/types.js'

const HASH_OF: Record<SigningAlg, string> = {
  RS256: 'sha256',
  ES256: 'sha256',
}

/** base64url of the left-most half of the hash that matches the ID token's `alg`. */
export function halfHash(value: string, alg: SigningAlg): string {
  const hash = HASH_OF[alg]
  if (hash === undefined) throw new TypeError(`unsupported signing alg ${String(alg)}`)
  // tokens and codes are ASCII, whose UTF-8 octets are the ASCII octets the spec hashes
  const digest = createHash(hash).update(value, 'utf8').digest()
  return digest.subarray(0, digest.length / 2).toString('base64url')
}
