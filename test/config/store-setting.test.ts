// The store is chosen by --store, GATEHOUSE_STORE or the config file's "store", in that order.
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load.js'
import { writeConfigFile } from '../helpers/config.js'

const spa = { client_id: 'organizer', name: 'Organizer', callbacks: ['http://localhost:3000/callback'] }

t.test('the config file may name the store', async (t) => {
  const file = writeConfigFile(t, { store: 'memory:', clients: [spa] })
  t.equal(loadConfig({}, ['--config', file]).store, 'memory:')
})

t.test('a store that does not exist yet is refused with the key named', async (t) => {
  const file = writeConfigFile(t, { store: 'sqlite:./state.db', clients: [spa] })
  t.throws(() => loadConfig({}, ['--config', file]), new ConfigError(`${file}: store: must be "memory:" (the only store so far)`))
  t.throws(() => loadConfig({ GATEHOUSE_STORE: 'postgres://db/x' }, []), new ConfigError('GATEHOUSE_STORE: only memory: is supported'))
  t.throws(() => loadConfig({}, ['--store', 'redis:']), new ConfigError('--store: only memory: is supported'))
})
