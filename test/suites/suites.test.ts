// Every test file must be in a suite, or `npm test` would never run it.
import { readdirSync } from 'node:fs'
import t from 'tap'
import { TEST_ROOT, testFilesIn } from '../helpers/suite.js'

t.test('every folder with test files has a suite', async (t) => {
  const suites = new Set(testFilesIn('suites').map((file) => file.replace(/\.test\.ts$/, '')))
  const folders = readdirSync(TEST_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'suites' && entry.name !== 'helpers')
    .map((entry) => entry.name)
  for (const folder of folders) {
    const nested = readdirSync(new URL(`${folder}/`, TEST_ROOT), { withFileTypes: true }).filter((e) => e.isDirectory())
    for (const dir of nested) {
      t.same(testFilesIn(`${folder}/${dir.name}`), [], `test/${folder}/${dir.name}/ has no test files (suites do not look into subfolders)`)
    }
    if (testFilesIn(folder).length > 0) t.ok(suites.has(folder), `test/${folder}/ has test/suites/${folder}.test.ts`)
  }
  t.ok(testFilesIn('').length === 0 || suites.has('top-level'), 'test/*.test.ts run in test/suites/top-level.test.ts')
})
