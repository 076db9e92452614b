// Where signing keys are kept: files in the keys directory (memory: store), or the store itself
// (SQL stores), so that every replica on one database signs with the same keys.

import { open } from 'node:fs/promises'
import { join } from 'node:path'
import type { SigningAlg } from '../config/types.js'
import type { Store } from '../store/store.js'
import { createFileOnce } from '../util/exclusive-file.js'
import { errorCode, makeDirectory, NotADirectoryError } from '../util/make-directory.js'
import { KeystoreError, type KeystoreLog } from './keystore-error.js'

export interface KeyStorage {
  /** names a key in messages: "signing key file <path>" */
  label(alg: SigningAlg): string
  /** where keys are kept, for the log */
  location(alg: SigningAlg): string
  /** said once at start */
  warning: string
  prepare(): Promise<void>
  /** the private JWK's text, or undefined when there is none yet */
  read(alg: SigningAlg): Promise<string | undefined>
  /** stores the key only if there is none yet; false when another instance got there first */
  create(alg: SigningAlg, text: string): Promise<boolean>
}

export function keyFileName(alg: SigningAlg): string {
  return `${alg.toLowerCase()}.private.jwk.json`
}

export function keyFiles(dir: string, log: KeystoreLog): KeyStorage {
  const pathOf = (alg: SigningAlg) => join(dir, keyFileName(alg))
  return {
    label: (alg) => `signing key file ${pathOf(alg)}`,
    location: pathOf,
    warning: `signing keys in ${dir} are development keys, kept unencrypted on disk; do not use them in production`,
    async prepare() {
      try {
        await makeDirectory(dir)
      } catch (err) {
        if (err instanceof NotADirectoryError) throw new KeystoreError(`keys directory ${dir}: exists but is not a directory`)
        throw new KeystoreError(`keys directory ${dir}: cannot create it (${fsCause(err)})`, { cause: err })
      }
    },
    read: (alg) => readKeyFile(pathOf(alg), log),
    create: (alg, text) => createKeyFile(dir, pathOf(alg), text),
  }
}

/** Keys as `signing_key` entries, created with the store's add(): the first replica's key wins. */
export function keysInStore(store: Store): KeyStorage {
  return {
    label: (alg) => `signing key ${alg} in ${store.description}`,
    location: () => store.description,
    warning: `signing keys in ${store.description} are development keys, kept unencrypted; do not use them in production`,
    async prepare() {},
    read: (alg) => store.get<string>('signing_key', alg),
    create: (alg, text) => store.add('signing_key', alg, text),
  }
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


/** Creates the key file only if it does not exist yet; false when another process got there first. */
async function createKeyFile(dir: string, path: string, data: string): Promise<boolean> {
  try {
    return await createFileOnce(path, data, 0o600)
  } catch (err) {
    throw new KeystoreError(`keys directory ${dir}: cannot write a signing key there (${fsCause(err)})`, { cause: err })
  }
}


/** "EACCES: permission denied" out of Node's "EACCES: permission denied, open '/path'": the path is named already. */
export function fsCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return /^(E[A-Z]+: [^,]+),/.exec(message)?.[1] ?? message.split('\n')[0] ?? message
}

