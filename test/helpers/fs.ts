// File-system fixtures.
import { chmod, mkdir, open, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Test } from 'tap'

/**
 * A directory this process cannot create files in: a read-only one in t.testdir (writable again on teardown),
 * or for root, who may write anywhere, a sysfs one. Undefined when there is none.
 */
export async function unwritableDir(t: Test): Promise<string | undefined> {
  if (process.getuid?.() !== 0) {
    const dir = join(t.testdir(), 'read-only')
    await mkdir(dir)
    await chmod(dir, 0o500)
    // Restores write access in case it still exists; tap may have removed the (empty) fixture already.
    t.teardown(() =>
      chmod(dir, 0o700).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err
      }),
    )
    return dir
  }
  const candidate = '/sys/kernel'
  try {
    await (await open(join(candidate, 'gatehouse-probe'), 'wx')).close()
    await unlink(join(candidate, 'gatehouse-probe'))
    return undefined
  } catch {
    return candidate
  }
}
