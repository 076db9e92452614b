// Where signing keys are kept: files in the keys directory (memory: store), or the store itself (SQL
// stores), so that every replica on one database signs with the same keys. Three things are kept, each
// written once and never changed: private keys (by kid), their certificates (by kid), and the versions
// of the rotation state. Writing version n + 1 only when nobody has yet is what makes a rotation safe
// between processes.

import { open, readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { SigningAlg } from '../config/types.js'
import type { Store } from '../store/store.js'
import { createFileOnce } from '../util/exclusive-file.js'
import { errorCode, makeDirectory, NotADirectoryError } from '../util/make-directory.js'
import { KeystoreError, type KeystoreLog } from './keystore-error.js'

/** Versions of the rotation state kept behind the latest; a process lagging further than this is not expected. */
export const KEPT_STATES = 100

export interface KeyStorage {
  /** said once at start */
  warning: string
  /** other processes may change the rotation state while this one runs, so it is watched */
  shared: boolean
  prepare(): Promise<void>
  /** names the single key per algorithm kept before key rotation, in messages */
  legacyLabel(alg: SigningAlg): string
  /** that key's private JWK text, or undefined when there is none */
  readLegacy(alg: SigningAlg): Promise<string | undefined>
  /** names a key in messages: "signing key file <path>" */
  keyLabel(kid: string): string
  /** where a key is kept, for the log */
  keyLocation(kid: string): string
  readKey(kid: string): Promise<string | undefined>
  /** stores the key only if there is none with this kid yet; false when there was */
  createKey(kid: string, text: string): Promise<boolean>
  deleteKey(kid: string): Promise<void>
  /** names a version of the rotation state in messages */
  stateLabel(version: number): string
  /** the newest version's text and what names it (with its version when the name says it), or undefined when there is none yet */
  readLatestState(): Promise<StoredState | undefined>
  readState(version: number): Promise<string | undefined>
  /** stores this version only if nobody has yet; false when another process got there first */
  createState(version: number, text: string): Promise<boolean>
  /** forgets the version KEPT_STATES behind `latest` */
  pruneStates(latest: number): Promise<void>
  readCertificate(kid: string): Promise<string | undefined>
  createCertificate(kid: string, pem: string): Promise<boolean>
  deleteCertificate(kid: string): Promise<void>
}

export interface StoredState {
  text: string
  label: string
  version?: number
}

export function keyFileName(alg: SigningAlg): string {
  return `${alg.toLowerCase()}.private.jwk.json`
}

// Every name ends in .json, like the keys before rotation, so one ignore rule covers the directory.
const keyFile = (kid: string) => `signing-key.${kid}.private.jwk.json`
const certificateFile = (kid: string) => `signing-key.${kid}.cert.json`
const stateFile = (version: number) => `signing-keys.${stateId(version)}.json`
const STATE_FILE = /^signing-keys\.(\d{12})\.json$/

/** Zero-padded, so that ids sort as numbers do. */
const stateId = (version: number) => String(version).padStart(12, '0')

export function keyFiles(dir: string, log: KeystoreLog): KeyStorage {
  const inDir = (name: string) => join(dir, name)
  const cannotWrite = (err: unknown) =>
    new KeystoreError(`keys directory ${dir}: cannot write a signing key there (${fsCause(err)})`, { cause: err })
  const write = async (name: string, text: string, mode: number) => {
    try {
      return await createFileOnce(inDir(name), text, mode)
    } catch (err) {
      throw cannotWrite(err)
    }
  }
  const readState = (version: number) => readTextFile(inDir(stateFile(version)), 'signing key state file')
  return {
    warning: `signing keys in ${dir} are development keys, kept unencrypted on disk; do not use them in production`,
    shared: false,
    async prepare() {
      try {
        await makeDirectory(dir)
      } catch (err) {
        if (err instanceof NotADirectoryError) throw new KeystoreError(`keys directory ${dir}: exists but is not a directory`)
        throw new KeystoreError(`keys directory ${dir}: cannot create it (${fsCause(err)})`, { cause: err })
      }
    },
    legacyLabel: (alg) => `signing key file ${inDir(keyFileName(alg))}`,
    readLegacy: (alg) => readPrivateKeyFile(inDir(keyFileName(alg)), log),
    keyLabel: (kid) => `signing key file ${inDir(keyFile(kid))}`,
    keyLocation: (kid) => inDir(keyFile(kid)),
    readKey: (kid) => readPrivateKeyFile(inDir(keyFile(kid)), log),
    createKey: (kid, text) => write(keyFile(kid), text, 0o600),
    deleteKey: (kid) => removeFile(inDir(keyFile(kid))),
    stateLabel: (version) => `signing key state file ${inDir(stateFile(version))}`,
    async readLatestState() {
      // A version is only ever removed once many newer ones exist, so the newest listed can be read.
      for (let attempt = 1; ; attempt++) {
        const latest = await latestStateVersion(dir)
        if (latest === undefined) return undefined
        const text = await readState(latest)
        if (text !== undefined) return { text, label: `signing key state file ${inDir(stateFile(latest))}`, version: latest }
        if (attempt === 5) return undefined
      }
    },
    readState,
    createState: (version, text) => write(stateFile(version), text, 0o644),
    pruneStates: (latest) => (latest > KEPT_STATES ? removeFile(inDir(stateFile(latest - KEPT_STATES))) : Promise.resolve()),
    async readCertificate(kid) {
      const text = await readTextFile(inDir(certificateFile(kid)), 'signing key certificate file')
      if (text === undefined) return undefined
      try {
        const { cert } = JSON.parse(text) as { cert?: unknown }
        return typeof cert === 'string' ? cert : undefined
      } catch {
        return undefined // a broken copy is made again
      }
    },
    createCertificate: (kid, pem) => write(certificateFile(kid), `${JSON.stringify({ kid, cert: pem }, null, 2)}\n`, 0o644),
    deleteCertificate: (kid) => removeFile(inDir(certificateFile(kid))),
  }
}

/** Keys, certificates and states as store entries, created with the store's add(): the first replica's wins. */
export function keysInStore(store: Store): KeyStorage {
  return {
    warning: `signing keys in ${store.description} are development keys, kept unencrypted; do not use them in production`,
    shared: true,
    async prepare() {},
    legacyLabel: (alg) => `signing key ${alg} in ${store.description}`,
    readLegacy: (alg) => store.get<string>('signing_key', alg),
    keyLabel: (kid) => `signing key ${kid} in ${store.description}`,
    keyLocation: () => store.description,
    readKey: (kid) => store.get<string>('signing_key', kid),
    createKey: (kid, text) => store.add('signing_key', kid, text),
    deleteKey: (kid) => store.delete('signing_key', kid),
    stateLabel: (version) => `signing key state ${version} in ${store.description}`,
    async readLatestState() {
      // count, then the last by id: a version written in between is found by the next look.
      for (let attempt = 1; ; attempt++) {
        const count = await store.count('signing_key_state')
        if (count === 0) return undefined
        const [text] = await store.list<string>('signing_key_state', { offset: count - 1, limit: 1 })
        if (text !== undefined) return { text, label: `the newest signing key state in ${store.description}` }
        if (attempt === 5) return undefined
      }
    },
    readState: (version) => store.get<string>('signing_key_state', stateId(version)),
    createState: (version, text) => store.add('signing_key_state', stateId(version), text),
    pruneStates: (latest) => (latest > KEPT_STATES ? store.delete('signing_key_state', stateId(latest - KEPT_STATES)) : Promise.resolve()),
    readCertificate: (kid) => store.get<string>('signing_key_cert', kid),
    createCertificate: (kid, pem) => store.add('signing_key_cert', kid, pem),
    deleteCertificate: (kid) => store.delete('signing_key_cert', kid),
  }
}

async function latestStateVersion(dir: string): Promise<number | undefined> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    throw new KeystoreError(`keys directory ${dir}: cannot be read (${fsCause(err)})`, { cause: err })
  }
  let latest: number | undefined
  for (const name of names) {
    const match = STATE_FILE.exec(name)
    if (match !== null) latest = Math.max(latest ?? 0, Number(match[1]))
  }
  return latest
}

/** A private key file's text, or undefined when it does not exist; warns when others may read it. */
async function readPrivateKeyFile(path: string, log: KeystoreLog): Promise<string | undefined> {
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

async function readTextFile(path: string, what: string): Promise<string | undefined> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined
    throw new KeystoreError(`${what} ${path} cannot be read (${fsCause(err)})`, { cause: err })
  }
  try {
    return await handle.readFile('utf8')
  } catch (err) {
    throw new KeystoreError(`${what} ${path} cannot be read (${fsCause(err)})`, { cause: err })
  } finally {
    await handle.close()
  }
}

async function removeFile(path: string): Promise<void> {
  try {
    await unlink(path)
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw new KeystoreError(`${path} cannot be deleted (${fsCause(err)})`, { cause: err })
  }
}

/** "EACCES: permission denied" out of Node's "EACCES: permission denied, open '/path'": the path is named already. */
export function fsCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return /^(E[A-Z]+: [^,]+),/.exec(message)?.[1] ?? message.split('\n')[0] ?? message
}
