// The test controls' switch and the Actions list as loadConfig reads them.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load.js'

const dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-switches-'))
const fileWith = (content: object): string => {
  const file = path.join(dir, `${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(file, JSON.stringify(content))
  return file
}

t.test('test controls: off by default; --test-controls, GATEHOUSE_TEST_CONTROLS or test_controls turn them on', async (t) => {
  t.equal(loadConfig({}, []).testControls, false)
  t.equal(loadConfig({}, ['--test-controls']).testControls, true)
  t.equal(loadConfig({ GATEHOUSE_TEST_CONTROLS: '1' }, []).testControls, true)
  t.equal(loadConfig({ GATEHOUSE_TEST_CONTROLS: 'true' }, []).testControls, true)
  t.equal(loadConfig({ GATEHOUSE_TEST_CONTROLS: '0' }, ['-c', fileWith({ test_controls: true })]).testControls, false)
  t.equal(loadConfig({}, ['-c', fileWith({ test_controls: true })]).testControls, true)
  t.throws(() => loadConfig({ GATEHOUSE_TEST_CONTROLS: 'yes' }, []), new ConfigError('GATEHOUSE_TEST_CONTROLS: must be 1 or 0 (true or false)'))
})

t.test('actions: scripts relative to the config file, secrets copied, 5 s unless timeout_ms', async (t) => {
  const file = fileWith({
    actions: [
      { name: 'add-roles', trigger: 'post-login', script: './actions/add-roles.js', secrets: { KEY: 'value' } },
      { name: 'm2m', trigger: 'credentials-exchange', script: '/abs/m2m.mjs', timeout_ms: 250 },
    ],
  })
  t.same(loadConfig({}, ['-c', file]).actions, [
    { name: 'add-roles', trigger: 'post-login', script: path.join(dir, 'actions/add-roles.js'), secrets: { KEY: 'value' }, timeoutMs: 5000 },
    { name: 'm2m', trigger: 'credentials-exchange', script: '/abs/m2m.mjs', secrets: {}, timeoutMs: 250 },
  ])
  t.throws(() => loadConfig({}, ['-c', fileWith({ actions: [{ name: 'x', trigger: 'pre-login', script: 'x.js' }] })]), ConfigError)
  t.throws(() => loadConfig({}, ['-c', fileWith({ actions: [{ name: 'x', trigger: 'post-login', script: 'x.js', timeout_ms: 0 }] })]), ConfigError)
})
