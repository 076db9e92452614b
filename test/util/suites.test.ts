// Every test file must be in a suite, or `npm test` would never run it.
import { readdirSync } from 'node:fs'
import t from 'tap'
import { foldersOfSuites, TEST_ROOT, testFilesIn } from '../helpers/suite.js'

t.test('every folder with test files is in exactly one suite, and every folder a suite names has test files', async (t) => {
  const suites = foldersOfSuites()
  const named = [...suites.values()].flat()
  const folders = readdirSync(TEST_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== 'suites' && entry.name !== 'helpers')
    .map((entry) => entry.name)
  for (const folder of folders) {
    const nested = readdirSync(new URL(`${folder}/`, TEST_ROOT), { withFileTypes: true }).filter((e) => e.isDirectory())
    for (const dir of nested) {
      t.same(testFilesIn(`${folder}/${dir.name}`), [], `test/${folder}/${dir.name}/ has no test files (suites do not look into subfolders)`)
    }
    if (testFilesIn(folder).length > 0) t.equal(named.filter((f) => f === folder).length, 1, `test/${folder}/ is in one suite`)
  }
  if (testFilesIn('').length > 0) t.equal(named.filter((f) => f === '').length, 1, "test/*.test.ts are in one suite (runSuite(''))")
  for (const [suite, list] of suites) {
    t.not(list.length, 0, `${suite} names its folders in one runSuite(…) call`)
    for (const folder of list) t.not(testFilesIn(folder).length, 0, `${suite}: test/${folder}/ has test files`)
  }
})
