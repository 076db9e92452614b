// tap gives every test file a process of its own, and starting one (Node, tap, the TypeScript loader,
// Fastify) costs about 3 s of CPU: more than most files' own tests. So `npm test` runs suites, each
// the test files of one folder in one process (test/suites/). `npx tap test/x/y.test.ts` still runs
// one file alone.
import { readdirSync } from 'node:fs'
import t from 'tap'

export const TEST_ROOT = new URL('../', import.meta.url)

/** The test files directly in `folder` (a path under test/, '' for test/ itself), in name order. */
export function testFilesIn(folder: string): string[] {
  return readdirSync(new URL(folder, TEST_ROOT), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => entry.name)
    .sort()
}

/**
 * Imports every test file of the folder, one after the other; their tests join this process's.
 * Each import runs inside a subtest named after the file: a file may await something before it
 * declares its tests, and the process's test would otherwise end in the meantime.
 */
export async function runSuite(folder: string): Promise<void> {
  const base = new URL(folder === '' ? './' : `${folder}/`, TEST_ROOT)
  for (const file of testFilesIn(folder)) {
    await t.test(`${folder === '' ? '' : `${folder}/`}${file}`, async () => {
      await import(new URL(file, base).href)
    })
  }
}
