// The store is chosen by --store, GATEHOUSE_STORE or the config file's "store", in that order.
import path from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load.js'
import { writeConfigFile } from '../helpers/config.js'

const spa = { client_id: 'organizer', name: 'Organizer', callbacks: ['http://localhost:3000/callback'] }

t.test('the config file may name the store', async (t) => {
  const file = writeConfigFile(t, { store: 'memory:', clients: [spa] })
  t.equal(loadConfig({}, ['--config', file]).store, 'memory:')
  const pg = writeConfigFile(t, { store: 'postgres://gatehouse:pw@db:5432/gatehouse', clients: [spa] })
  t.equal(loadConfig({}, ['--config', pg]).store, 'postgres://gatehouse:pw@db:5432/gatehouse')
})

t.test('a sqlite path in the config file is relative to that file', async (t) => {
  const file = writeConfigFile(t, { store: 'sqlite:./state/gatehouse.db', clients: [spa] })
  t.equal(loadConfig({}, ['--config', file]).store, `sqlite:${path.join(path.dirname(file), 'state/gatehouse.db')}`)
})

t.test('flags and variables win over the file', async (t) => {
  const file = writeConfigFile(t, { store: 'sqlite:./state.db', clients: [spa] })
  t.equal(loadConfig({ GATEHOUSE_STORE: 'memory:' }, ['--config', file]).store, 'memory:')
  t.equal(loadConfig({ GATEHOUSE_STORE: 'memory:' }, ['--config', file, '--store', 'sqlite:/tmp/x.db']).store, 'sqlite:/tmp/x.db')
})

t.test('a store URL that names no adapter is refused with the key named', async (t) => {
  const forms = 'must be memory:, sqlite:PATH or postgres://user:password@host:port/database'
  const file = writeConfigFile(t, { store: 'mysql://db/x', clients: [spa] })
  t.throws(() => loadConfig({}, ['--config', file]), new ConfigError(`${file}: store: ${forms}`))
  t.throws(() => loadConfig({ GATEHOUSE_STORE: 'postgres:/db' }, []), new ConfigError(`GATEHOUSE_STORE: ${forms}`))
  t.throws(() => loadConfig({}, ['--store', 'redis:']), new ConfigError(`--store: ${forms}`))
})
