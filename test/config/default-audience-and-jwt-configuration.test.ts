// Config keys default_audience (Auth0's tenant setting) and clients[].jwt_configuration.alg.
import path from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load.js'

function configFile(t: Test, content: unknown): string {
  const dir = t.testdir({ 'gatehouse.json': JSON.stringify(content) })
  return path.join(dir, 'gatehouse.json')
}

function loadError(file: string): string {
  try {
    loadConfig({}, ['--config', file])
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  throw new Error('expected a ConfigError')
}

const api = { identifier: 'appointments:api' }
const spa = { client_id: 'organizer', name: 'Organizer' }

t.test('default_audience names a resource server', async (t) => {
  const file = configFile(t, { resource_servers: [api], default_audience: 'appointments:api' })
  t.equal(loadConfig({}, ['--config', file]).tenant.default_audience, 'appointments:api')
  const unknown = configFile(t, { resource_servers: [api], default_audience: 'billing:api' })
  t.equal(loadError(unknown), `${unknown}: default_audience: no resource server "billing:api" in resource_servers`)
  const empty = configFile(t, { default_audience: '' })
  t.equal(loadError(empty), `${empty}: default_audience: must be a non-empty string`)
  t.equal(loadConfig({}, ['--config', configFile(t, {})]).tenant.default_audience, undefined, 'absent unless set')
})

t.test('jwt_configuration.alg picks RS256 or ES256 for ID tokens', async (t) => {
  const file = configFile(t, { clients: [{ ...spa, jwt_configuration: { alg: 'ES256' } }] })
  t.strictSame(loadConfig({}, ['--config', file]).tenant.clients[0]?.jwt_configuration, { alg: 'ES256' })
  const plain = configFile(t, { clients: [spa] })
  t.equal(loadConfig({}, ['--config', plain]).tenant.clients[0]?.jwt_configuration, undefined, 'RS256 by default')
  const hs = configFile(t, { clients: [{ ...spa, jwt_configuration: { alg: 'HS256' } }] })
  t.equal(loadError(hs), `${hs}: clients[0].jwt_configuration.alg: must be one of RS256, ES256`)
  const lifetime = configFile(t, { clients: [{ ...spa, jwt_configuration: { lifetime_in_seconds: 36000 } }] })
  t.equal(loadError(lifetime), `${lifetime}: clients[0].jwt_configuration: unknown key "lifetime_in_seconds"`)
})
