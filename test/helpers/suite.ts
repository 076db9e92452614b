// tap gives every test file a process of its own, and starting one (Node, tap, the TypeScript loader,
// Fastify, the first server) costs about 2 s of CPU: more than most folders' own tests. So `npm test`
// runs suites, each the test files of a few folders in one process (test/suites/). tap starts them
// in name order, and the numbers put the longest first, so that none is left running alone at the
// end while a core idles. `npx tap test/x/y.test.ts` still runs one file alone.
import { readdirSync, readFileSync } from 'node:fs'
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
 * Imports every test file of the folders, folder by folder, one file after the other; their tests join
 * this process's. Each import runs inside a subtest named after the file: a file may await something
 * before it declares its tests, and the process's test would otherwise end in the meantime.
 */
export async function runSuite(...folders: string[]): Promise<void> {
  for (const folder of folders) {
    const base = new URL(folder === '' ? './' : `${folder}/`, TEST_ROOT)
    for (const file of testFilesIn(folder)) {
      await t.test(`${folder === '' ? '' : `${folder}/`}${file}`, async () => {
        await import(new URL(file, base).href)
      })
    }
  }
}

/** The folders each suite file runs, read from its runSuite(…) call: '' is test/ itself. */
export function foldersOfSuites(): Map<string, string[]> {
  const suites = new Map<string, string[]>()
  for (const file of testFilesIn('suites')) {
    const text = readFileSync(new URL(`suites/${file}`, TEST_ROOT), 'utf8')
    const args = /runSuite\(([^)]*)\)/.exec(text)?.[1] ?? ''
    suites.set(file, [...args.matchAll(/'([^']*)'/g)].map((m) => m[1]!))
  }
  return suites
}
