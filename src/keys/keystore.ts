// Signing keys: loaded from the keys directory, or generated there on first start, so that tokens
// stay verifiable across restarts.
import { randomUUID } from 'node:crypto'
import { link, mkdir, open, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
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
import { toPublicJwk } from './jwks.js'

/** The keys directory or a key file in it cannot be used; the message is one line for the user. */
export class KeystoreError extends Error {
  override name = 'KeystoreError'
}

export interface SigningKey {
  kid: string
  alg: SigningAlg
  privateKey: CryptoKey
}

export interface Keystore {
  signingKey(alg: SigningAlg): SigningKey
  /** public JWK Set for /.well-known/jwks.json, computed once */
  jwks(): { keys: JWK[] }
  /** key resolver for jose's jwtVerify */
  verifier: JWTVerifyGetKey
}

export interface KeystoreLog {
  info(msg: string): void
  warn(msg: string): void
}

export interface KeystoreOptions {
  dir: string
  log?: KeystoreLog
}

// RS256 first: it is the default for ID tokens and for access tokens without an API.
const ALGS: readonly SigningAlg[] = ['RS256', 'ES256']

const REQUIRED_PRIVATE_MEMBERS: Record<SigningAlg, readonly string[]> = {
  RS256: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'],
  ES256: ['x', 'y', 'd'],
}

const silentLog: KeystoreLog = { info() {}, warn() {} }

export function keyFileName(alg: SigningAlg): string {
  return `${alg.toLowerCase()}.private.jwk.json`
}

export async function createKeystore(opts: KeystoreOptions): Promise<Keystore> {
  const log = opts.log ?? silentLog
  try {
    await makeDirectory(opts.dir)
  } catch (err) {
    if (err instanceof KeystoreError) throw err
    throw new KeystoreError(`keys directory ${opts.dir}: cannot create it (${fsCause(err)})`, { cause: err })
  }

  // Independent keys: RSA generation is the slow part of a cold start, so do both at once. Settle
  // both before failing, so no write is still running when the process exits on the error.
  const settled = await Promise.allSettled(ALGS.map((alg) => loadOrGenerate(opts.dir, alg, log)))
  const loaded: LoadedKey[] = []
  for (const result of settled) {
    if (result.status === 'rejected') throw result.reason
    loaded.push(result.value)
  }
  log.warn(
    `signing keys in ${opts.dir} are development keys, kept unencrypted on disk; do not use them in production`,
  )

  const byAlg = new Map<SigningAlg, SigningKey>()
  for (const { signingKey } of loaded) byAlg.set(signingKey.alg, Object.freeze(signingKey))
  const jwks = deepFreeze({ keys: loaded.map(({ publicJwk }) => publicJwk) })

  return {
    signingKey(alg) {
      const key = byAlg.get(alg)
      if (key === undefined) throw new TypeError(`no signing key for alg ${String(alg)}`)
      return key
    },
    jwks: () => jwks,
    verifier: createLocalJWKSet(jwks),
  }
}

interface LoadedKey {
  signingKey: SigningKey
  publicJwk: JWK
}

async function loadOrGenerate(dir: string, alg: SigningAlg, log: KeystoreLog): Promise<LoadedKey> {
  const path = join(dir, keyFileName(alg))
  const text = await readKeyFile(path, log)
  if (text !== undefined) return loadKey(path, text, alg)

  const { privateKey } = await generateKeyPair(alg, { extractable: true })
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), alg }
  if (await createKeyFile(dir, path, `${JSON.stringify(privateJwk, null, 2)}\n`)) {
    log.info(`generated ${alg} signing key in ${path}`)
    const kid = await calculateJwkThumbprint(privateJwk)
    return { signingKey: { kid, alg, privateKey }, publicJwk: toPublicJwk(privateJwk, alg, kid) }
  }
  // Another instance starting on the same directory wrote its key first: sign with that one too.
  // Without hard links that file may still be being written, so an incomplete one is read again.
  for (let attempt = 1; ; attempt++) {
    const winner = await readKeyFile(path, log)
    if (winner === undefined) throw new KeystoreError(`signing key file ${path} was removed while Gatehouse started`)
    try {
      const loaded = await loadKey(path, winner, alg)
      log.info(`using the ${alg} signing key that another instance created in ${path} meanwhile`)
      return loaded
    } catch (err) {
      if (attempt === 20) throw err
    }
    await sleep(50)
  }
}

async function loadKey(path: string, text: string, alg: SigningAlg): Promise<LoadedKey> {
  const privateJwk = parsePrivateJwk(path, text, alg)
  try {
    // RFC 7638 hashes only the required public members, so the private JWK gives the same kid.
    const kid = await calculateJwkThumbprint(privateJwk)
    const publicJwk = toPublicJwk(privateJwk, alg, kid)
    const privateKey = (await importJWK(privateJwk, alg, { extractable: false })) as CryptoKey
    await assertKeyPairMatches(privateKey, publicJwk, alg)
    return { signingKey: { kid, alg, privateKey }, publicJwk }
  } catch (err) {
    throw keyFileError(path, `is not a usable ${alg} private key (${messageOf(err)})`, err)
  }
}

// fs.mkdir's recursive mode loops forever when mkdir answers ENOENT under a parent that exists
// (procfs: --keys-dir /proc/x), so missing parents are made one at a time, and each only once.
async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { mode: 0o700 })
    return
  } catch (err) {
    const code = errorCode(err)
    if (code === 'EEXIST') return assertDirectory(dir)
    if (code !== 'ENOENT' || dirname(dir) === dir) throw err
  }
  await makeDirectory(dirname(dir))
  try {
    await mkdir(dir, { mode: 0o700 })
  } catch (err) {
    if (errorCode(err) !== 'EEXIST') throw err
    await assertDirectory(dir)
  }
}

async function assertDirectory(dir: string): Promise<void> {
  if (!(await stat(dir)).isDirectory()) throw new KeystoreError(`keys directory ${dir}: exists but is not a directory`)
}

/** The file's text, or undefined when it does not exist yet. */
async function readKeyFile(path: string, log: KeystoreLog): Promise<string | undefined> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined
    throw new KeystoreError(`signing key file ${path} cannot be read (${fsCause(err)})`, { cause: err })
  }
  try {
    const stats = await handle.stat()
    if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      log.warn(`signing key file ${path} is readable by other users; chmod 600 it`)
    }
    return await handle.readFile('utf8')
  } catch (err) {
    throw new KeystoreError(`signing key file ${path} cannot be read (${fsCause(err)})`, { cause: err })
  } finally {
    await handle.close()
  }
}

function parsePrivateJwk(path: string, text: string, alg: SigningAlg): JWK {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw keyFileError(path, `is not valid JSON (${messageOf(err)})`, err)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw keyFileError(path, 'does not hold a JSON object (a private JWK)')
  }
  const jwk = value as JWK
  const expectedKty = alg === 'RS256' ? 'RSA' : 'EC'
  if (jwk.kty !== expectedKty) {
    throw keyFileError(path, `must hold a ${expectedKty} key for ${alg}, found kty ${JSON.stringify(jwk.kty)}`)
  }
  if (alg === 'ES256' && jwk.crv !== 'P-256') {
    throw keyFileError(path, `must hold a P-256 key for ES256, found crv ${JSON.stringify(jwk.crv)}`)
  }
  if (jwk.alg !== undefined && jwk.alg !== alg) {
    throw keyFileError(path, `is marked for alg ${JSON.stringify(jwk.alg)}, expected ${alg}`)
  }
  const members = value as Record<string, unknown>
  const missing = REQUIRED_PRIVATE_MEMBERS[alg].filter((m) => typeof members[m] !== 'string' || members[m] === '')
  if (missing.length > 0) {
    throw keyFileError(path, `is missing private JWK member(s) ${missing.join(', ')}`)
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

// Filesystems without hard links answer link() with one of these.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

/**
 * Creates the key file only if it does not exist yet; false when another process got there first.
 * The key is written in full to a private temp file, then hard-linked into place: unlike rename(),
 * link() never replaces a file, so instances starting together on one new directory all end up
 * with the first key, and a crash mid-write never leaves a truncated key behind.
 */
async function createKeyFile(dir: string, path: string, data: string): Promise<boolean> {
  const tmp = `${path}.${randomUUID()}.tmp`
  try {
    await writePrivateFile(tmp, data)
    try {
      await link(tmp, path)
      return true
    } catch (err) {
      if (errorCode(err) === 'EEXIST') return false
      if (!NO_HARD_LINKS.has(errorCode(err) ?? '')) throw err
    }
    // Still exclusive, but a reader could see the file before it is complete.
    try {
      await writePrivateFile(path, data)
      return true
    } catch (err) {
      if (errorCode(err) === 'EEXIST') return false
      throw err
    }
  } catch (err) {
    throw new KeystoreError(`keys directory ${dir}: cannot write a signing key there (${fsCause(err)})`, { cause: err })
  } finally {
    await unlink(tmp).catch(() => {})
  }
}

async function writePrivateFile(path: string, data: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600)
  try {
    await handle.chmod(0o600) // in case the umask took owner bits away
    await handle.writeFile(data, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** A key file whose content is wrong; never replaced silently, since that would orphan issued tokens. */
function keyFileError(path: string, problem: string, cause?: unknown): KeystoreError {
  const hint = '; delete it to generate a new key (tokens signed with the old one will stop verifying)'
  return new KeystoreError(`signing key file ${path} ${problem}${hint}`, cause === undefined ? undefined : { cause })
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** "EACCES: permission denied" out of Node's "EACCES: permission denied, open '/path'": the path is named already. */
function fsCause(err: unknown): string {
  const message = messageOf(err)
  return /^(E[A-Z]+: [^,]+),/.exec(message)?.[1] ?? message.split('\n')[0] ?? message
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member)
    Object.freeze(value)
  }
  return value
}
