import { mkdir, stat } from 'node:fs/promises'
import { dirname } from 'node:path'

/** The path exists and is not a directory. */
export class NotADirectoryError extends Error {
  override name = 'NotADirectoryError'
  constructor(readonly path: string) {
    super(`${path} exists but is not a directory`)
  }
}

// fs.mkdir's recursive mode loops forever when mkdir answers ENOENT under a parent that exists
// (procfs: /proc/x), so missing parents are made one at a time, and each only once.
/** Creates the directory and its missing parents (private to the owner). */
export async function makeDirectory(dir: string): Promise<void> {
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
  if (!(await stat(dir)).isDirectory()) throw new NotADirectoryError(dir)
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined
}
