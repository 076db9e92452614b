// The files of the development CA: read, created only when absent, or replaced whole.
import { randomUUID } from 'node:crypto'
import { link, open, rename, unlink } from 'node:fs/promises'
import { fsCause } from '../keys/key-storage.js'
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

// Filesystems without hard links answer link() with one of these.
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'])

/**
 * Creates the file only if it does not exist yet; false when another process got there first, and the
 * caller then reads what won. Written in full to a temp file, then hard-linked into place: link() never
 * replaces a file (rename() would), and a crash mid-write leaves no truncated file behind.
 */
export async function createFileOnce(file: string, text: string, mode: number): Promise<boolean> {
  const tmp = `${file}.${randomUUID()}.tmp`
  try {
    await writeNewFile(tmp, text, mode)
    try {
      await link(tmp, file)
      return true
    } catch (err) {
      if (errorCode(err) === 'EEXIST') return false
      if (!NO_HARD_LINKS.has(errorCode(err) ?? '')) throw err
    }
    // Still exclusive, but a reader could see the file before it is complete.
    try {
      await writeNewFile(file, text, mode)
      return true
    } catch (err) {
      if (errorCode(err) === 'EEXIST') return false
      throw err
    }
  } catch (err) {
    throw new TlsError(`${file}: cannot be written (${fsCause(err)})`, { cause: err })
  } finally {
    await unlink(tmp).catch(() => {})
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

async function writeNewFile(file: string, text: string, mode: number): Promise<void> {
  const handle = await open(file, 'wx', mode)
  try {
    await handle.chmod(mode) // the umask may have taken bits away
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}
