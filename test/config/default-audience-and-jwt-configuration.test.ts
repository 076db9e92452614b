// Config keys default_audience (Auth0's tenant setting) and clients[].jwt_configuration.alg.
import t from 'tap'
import { loadConfig } from '../../src/config/load.js'
import { configErrorOf, writeConfigFile } from '../helpers/config.js'

const api = { identifier: 'appointments:api' }
const spa = { client_id: 'organizer', name: 'Organizer' }

t.test('default_audience names a resource server', async (t) => {
  const file = writeConfigFile(t, { resource_servers: [api], default_audience: 'appointments:api' })
  t.equal(loadConfig({}, ['--config', file]).tenant.default_audience, 'appointments:api')
  const unknown = writeConfigFile(t, { resource_servers: [api], default_audience: 'billing:api' })
  t.equal(configErrorOf({}, ['--config', unknown]), `${unknown}: default_audience: no resource server "billing:api" in resource_servers`)
  const empty = writeConfigFile(t, { default_audience: '' })
  t.equal(configErrorOf({}, ['--config', empty]), `${empty}: default_audience: must be a non-empty string`)
  t.equal(loadConfig({}, ['--config', writeConfigFile(t, {})]).tenant.default_audience, undefined, 'absent unless set')
})

t.test('jwt_configuration.alg picks RS256 or ES256 for ID tokens', async (t) => {
  const file = writeConfigFile(t, { clients: [{ ...spa, jwt_configuration: { alg: 'ES256' } }] })
  t.strictSame(loadConfig({}, ['--config', file]).tenant.clients[0]?.jwt_configuration, { alg: 'ES256' })
  const plain = writeConfigFile(t, { clients: [spa] })
  t.equal(loadConfig({}, ['--config', plain]).tenant.clients[0]?.jwt_configuration, undefined, 'RS256 by default')
  const hs = writeConfigFile(t, { clients: [{ ...spa, jwt_configuration: { alg: 'HS256' } }] })
  t.equal(configErrorOf({}, ['--config', hs]), `${hs}: clients[0].jwt_configuration.alg: must be one of RS256, ES256`)
  const lifetime = writeConfigFile(t, { clients: [{ ...spa, jwt_configuration: { lifetime_in_seconds: 36000 } }] })
  t.equal(configErrorOf({}, ['--config', lifetime]), `${lifetime}: clients[0].jwt_configuration: unknown key "lifetime_in_seconds"`)
})
