// The files of the development CA: read, created only when absent, or replaced whole.
import { randomUUID } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { fsCause } from '../keys/key-storage.js'
import { createFileOnce, writeNewFile } from '../util/exclusive-file.js'
import { errorCode } from '../util/make-directory.js'
import { TlsError, type TlsLog } from './tls-error.js'

export const PRIVATE_MODE = 0o600
export const PUBLIC_MODE = 0o644

/** The file's text, or undefined when it does not exist yet; a private key readable by others is warned about. */
export async function readPemFile(file: string, mode: number, log: TlsLog): Promise<string | undefined> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined
    throw new TlsError(`${file}: cannot be read (${fsCause(err)})`, { cause: err })
  }
  try {
    const stats = await handle.stat()
    if (mode === PRIVATE_MODE && process.platform !== 'win32' && (stats.mode & 0o077) !== 0) {
      log.warn(`${file} is readable by other users; chmod 600 it`)
    }
    return await handle.readFile('utf8')
  } catch (err) {
    throw new TlsError(`${file}: cannot be read (${fsCause(err)})`, { cause: err })
  } finally {
    await handle.close()
  }
}

/** Creates the file only if it does not exist yet; false when another process got there first. */
export async function createPemFileOnce(file: string, text: string, mode: number): Promise<boolean> {
  try {
    return await createFileOnce(file, text, mode)
  } catch (err) {
    throw new TlsError(`${file}: cannot be written (${fsCause(err)})`, { cause: err })
  }
}

/** Replaces the file in one step (rename): a reader sees the old text or the new, never part of one. */
export async function replaceFile(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.${randomUUID()}.tmp`
  try {
    await writeNewFile(tmp, text, mode)
    await rename(tmp, file)
  } catch (err) {
    await unlink(tmp).catch(() => {})
    throw new TlsError(`${file}: cannot be written (${fsCause(err)})`, { cause: err })
  }
}

