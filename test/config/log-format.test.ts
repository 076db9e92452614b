// --log-format, LOG_FORMAT and log_format: pretty or json; unset means "pretty on a terminal".
import path from 'node:path'
import t from 'tap'
import { ConfigError, HelpRequested, loadConfig, USAGE } from '../../src/config/load.js'

function loadError(env: NodeJS.ProcessEnv, argv: string[]): string {
  try {
    loadConfig(env, argv)
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  throw new Error('expected a ConfigError')
}

t.test('unset by default: the logger picks by whether its output is a terminal', async (t) => {
  t.equal(loadConfig({}, []).logFormat, undefined)
  t.notOk('logFormat' in loadConfig({}, []))
})

t.test('file < LOG_FORMAT < --log-format', async (t) => {
  const dir = t.testdir({ 'gatehouse.json': JSON.stringify({ log_format: 'json' }) })
  const file = path.join(dir, 'gatehouse.json')
  t.equal(loadConfig({}, ['--config', file]).logFormat, 'json')
  t.equal(loadConfig({ LOG_FORMAT: 'pretty' }, ['--config', file]).logFormat, 'pretty')
  t.equal(loadConfig({ LOG_FORMAT: 'pretty' }, ['--config', file, '--log-format', 'json']).logFormat, 'json')
  t.equal(loadConfig({ LOG_FORMAT: '' }, ['--log-format=pretty']).logFormat, 'pretty')
})

t.test('anything else is refused, naming where it came from', async (t) => {
  t.equal(loadError({}, ['--log-format', 'text']), '--log-format: must be one of pretty, json')
  t.equal(loadError({ LOG_FORMAT: 'JSON' }, []), 'LOG_FORMAT: must be one of pretty, json')
  const dir = t.testdir({ 'gatehouse.json': JSON.stringify({ log_format: 'colour' }) })
  const file = path.join(dir, 'gatehouse.json')
  t.equal(loadError({}, ['--config', file]), `${file}: log_format: must be one of pretty, json`)
})

t.test('--help lists it with its variable', async (t) => {
  t.match(USAGE, /\n {6}--log-format FMT {2}pretty or json +\[LOG_FORMAT\]\n {24}default pretty on a terminal, json otherwise\n/)
  t.throws(() => loadConfig({}, ['--help']), HelpRequested)
})
