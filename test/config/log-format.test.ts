// --log-format, LOG_FORMAT and log_format: pretty or json; unset means "pretty on a terminal".
import t from 'tap'
import { HelpRequested, loadConfig, USAGE } from '../../src/config/load.js'
import { configErrorOf, writeConfigFile } from '../helpers/config.js'

t.test('unset by default: the logger picks by whether its output is a terminal', async (t) => {
  t.equal(loadConfig({}, []).logFormat, undefined)
  t.notOk('logFormat' in loadConfig({}, []))
})

t.test('file < LOG_FORMAT < --log-format', async (t) => {
  const file = writeConfigFile(t, { log_format: 'json' })
  t.equal(loadConfig({}, ['--config', file]).logFormat, 'json')
  t.equal(loadConfig({ LOG_FORMAT: 'pretty' }, ['--config', file]).logFormat, 'pretty')
  t.equal(loadConfig({ LOG_FORMAT: 'pretty' }, ['--config', file, '--log-format', 'json']).logFormat, 'json')
  t.equal(loadConfig({ LOG_FORMAT: '' }, ['--log-format=pretty']).logFormat, 'pretty')
})

t.test('anything else is refused, naming where it came from', async (t) => {
  t.equal(configErrorOf({}, ['--log-format', 'text']), '--log-format: must be one of pretty, json')
  t.equal(configErrorOf({ LOG_FORMAT: 'JSON' }, []), 'LOG_FORMAT: must be one of pretty, json')
  const file = writeConfigFile(t, { log_format: 'colour' })
  t.equal(configErrorOf({}, ['--config', file]), `${file}: log_format: must be one of pretty, json`)
})

t.test('--help lists it with its variable', async (t) => {
  t.match(USAGE, /\n {6}--log-format FMT {2}pretty or json +\[LOG_FORMAT\]\n {24}default pretty on a terminal, json otherwise\n/)
  t.throws(() => loadConfig({}, ['--help']), HelpRequested)
})
