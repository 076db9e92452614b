// Signing keys: loaded from where they are kept (key-storage.ts), or generated there on first
// start, so that tokens stay verifiable across restarts.
import { setTimeout as sleep } from 'node:timers/promises'
import {
  calculateJwkThumbprint,
  compactVerify,
  CompactSign,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
} from 'jose'
import type { CryptoKey, JWK, JWTVerifyGetKey } from 'jose'
import type { SigningAlg } from '../config/types.js'
import type { Store } from '../store/store.js'
import { keyFiles, keysInStore, type KeyStorage } from './key-storage.js'
import { KeystoreError, type KeystoreLog } from './keystore-error.js'
import { toPublicJwk } from './jwks.js'

export { KeystoreError, type KeystoreLog } from './keystore-error.js'
export { keyFileName } from './key-storage.js'

export interface SigningKey {
  kid: string
  alg: SigningAlg
  privateKey: CryptoKey
}

/** Auth0's rotation roles of one algorithm's keys: all three are published in the JWKS. */
export interface KeyRing {
  /** signs every new token */
  current: SigningKey
  /** published ahead of time; becomes current at the next rotation */
  next?: SigningKey
  /** the current key before the last rotation: still published (its tokens verify) until revoked */
  previous?: SigningKey
}

export interface Keystore {
  /** the current key for alg */
  signingKey(alg: SigningAlg): SigningKey
  keyRing(alg: SigningAlg): KeyRing
  /** public JWK Set for /.well-known/jwks.json, computed once */
  jwks(): { keys: JWK[] }
  /** key resolver for jose's jwtVerify */
  verifier: JWTVerifyGetKey
}

export interface KeystoreOptions {
  /** the keys directory; used unless keys are kept in a store */
  dir: string
  /** keep keys in this store instead (shared by replicas) */
  store?: Store
  log?: KeystoreLog
}

// RS256 first: it is the default for ID tokens and for access tokens without an API.
const ALGS: readonly SigningAlg[] = ['RS256', 'ES256']

const REQUIRED_PRIVATE_MEMBERS: Record<SigningAlg, readonly string[]> = {
  RS256: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  ES256: ['x', 'y', 'd'],
}

const silentLog: KeystoreLog = { info() {}, warn() {} }

export async function createKeystore(opts: KeystoreOptions): Promise<Keystore> {
  const log = opts.log ?? silentLog
  const storage = opts.store === undefined ? keyFiles(opts.dir, log) : keysInStore(opts.store)
  await storage.prepare()

  // Independent keys: RSA generation is the slow part of a cold start, so do both at once. Settle
  // both before failing, so no write is still running when the process exits on the error.
  const settled = await Promise.allSettled(ALGS.map((alg) => loadOrGenerate(storage, alg, log)))
  const loaded: LoadedKey[] = []
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason
    loaded.push(result.value)
  }
  log.warn(storage.warning)

  const byAlg = new Map<SigningAlg, SigningKey>()
  for (const { signingKey } of loaded) byAlg.set(signingKey.alg, Object.freeze(signingKey))
  const jwks = deepFreeze({ keys: loaded.map(({ publicJwk }) => publicJwk) })

  const signingKey = (alg: SigningAlg): SigningKey => {
    const key = byAlg.get(alg)
    if (key === undefined) throw new TypeError(`no signing key for alg ${String(alg)}`)
    return key
  }
  return {
    signingKey,
    keyRing: (alg) => ({ current: signingKey(alg) }),
    jwks: () => jwks,
    verifier: createLocalJWKSet(jwks),
  }
}

interface LoadedKey {
  signingKey: SigningKey
  publicJwk: JWK
}

async function loadOrGenerate(storage: KeyStorage, alg: SigningAlg, log: KeystoreLog): Promise<LoadedKey> {
  const text = await storage.read(alg)
  if (text !== undefined) return loadKey(storage.label(alg), text, alg)

  const { privateKey } = await generateKeyPair(alg, { extractable: true })
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), alg }
  if (await storage.create(alg, `${JSON.stringify(privateJwk, null, 2)}\n`)) {
    log.info(`generated ${alg} signing key in ${storage.location(alg)}`)
    const kid = await calculateJwkThumbprint(privateJwk)
    return { signingKey: { kid, alg, privateKey }, publicJwk: toPublicJwk(privateJwk, alg, kid) }
  }
  // Another instance starting on the same keys wrote its key first: sign with that one too.
  // Without hard links a key file may still be being written, so an incomplete one is read again.
  for (let attempt = 1; ; attempt++) {
    const winner = await storage.read(alg)
    if (winner === undefined) throw new KeystoreError(`${storage.label(alg)} was removed while Gatehouse started`)
    try {
      const loaded = await loadKey(storage.label(alg), winner, alg)
      log.info(`using the ${alg} signing key that another instance created in ${storage.location(alg)} meanwhile`)
      return loaded
    } catch (err) {
      if (attempt === 20) throw err
    }
    await sleep(50)
  }
}

async function loadKey(label: string, text: string, alg: SigningAlg): Promise<LoadedKey> {
  const privateJwk = parsePrivateJwk(label, text, alg)
  try {
    // RFC 7638 hashes only the required public members, so the private JWK gives the same kid.
    const kid = await calculateJwkThumbprint(privateJwk)
    const publicJwk = toPublicJwk(privateJwk, alg, kid)
    const privateKey = (await importJWK(privateJwk, alg, { extractable: false })) as CryptoKey
    await assertKeyPairMatches(privateKey, publicJwk, alg)
    return { signingKey: { kid, alg, privateKey }, publicJwk }
  } catch (err) {
    throw keyError(label, `is not a usable ${alg} private key (${messageOf(err)})`, err)
  }
}

function parsePrivateJwk(label: string, text: string, alg: SigningAlg): JWK {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw keyError(label, `is not valid JSON (${messageOf(err)})`, err)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw keyError(label, 'does not hold a JSON object (a private JWK)')
  }
  const jwk = value as JWK
  const expectedKty = alg === 'RS256' ? 'RSA' : 'EC'
  if (jwk.kty !== expectedKty) {
    throw keyError(label, `must hold a ${expectedKty} key for ${alg}, found kty ${JSON.stringify(jwk.kty)}`)
  }
  if (alg === 'ES256' && jwk.crv !== 'P-256') {
    throw keyError(label, `must hold a P-256 key for ES256, found crv ${JSON.stringify(jwk.crv)}`)
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw keyError(label, `is marked for alg ${JSON.stringify(jwk.alg)}, expected ${alg}`)
  }
  const members = value as Record<string, unknown>
  const missing = REQUIRED_PRIVATE_MEMBERS[alg].filter((m) => typeof members[m] !== 'string' || members[m] === '')
  if (missing.length > 0) {
    throw keyError(label, `is missing private JWK member(s) ${missing.join(', ')}`)
  }
  return jwk
}

// A file whose members were edited or mixed from two keys can import fine and still sign tokens
// nobody can verify; one signature at start catches that.
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
function keyError(label: string, problem: string, cause?: unknown): KeystoreError {
  const hint = '; delete it to generate a new key (tokens signed with the old one will stop verifying)'
  return new KeystoreError(`${label} ${problem}${hint}`, cause === undefined ? undefined : { cause })
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member)
    Object.freeze(value)
  }
  return value
}
