// Files created once, by whichever process comes first, and never seen half-written.
import { randomUUID } from 'node:crypto'
import { link, open, unlink } from 'node:fs/promises'
import { errorCode } from './make-directory.js'

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
  } finally {
    await unlink(tmp).catch(() => {})
  }
}

/** Writes a file that must not exist yet, with this mode whatever the umask, flushed to disk. */
export async function writeNewFile(file: string, text: string, mode: number): Promise<void> {
  const handle = await open(file, 'wx', mode)
  try {
    await handle.chmod(mode) // in case the umask took owner bits away
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
}
