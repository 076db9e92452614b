// Hardening: an unknown config key suggests the nearest known key at that level, only when it is close.
import t from 'tap'
import { editDistance, nearestKey } from '../../src/config/nearest-key.js'
import { configFileErrorOf } from '../helpers/config.js'

const spa = { client_id: 'organizer', name: 'Organizer' }

t.test('a near miss names the key it resembles', async (t) => {
  const cases: [unknown, string][] = [
    [{ clients: [{ ...spa, callback_url: ['http://localhost:3000/callback'] }] }, 'clients[0]: unknown key "callback_url"; did you mean "callbacks"?'],
    [{ clients: [{ ...spa, clientId: 'x' }] }, 'clients[0]: unknown key "clientId"; did you mean "client_id"?'],
    [{ clients: [{ ...spa, web_orgins: [] }] }, 'clients[0]: unknown key "web_orgins"; did you mean "web_origins"?'],
    [{ resource_servers: [{ identifier: 'a', scope: [] }] }, 'resource_servers[0]: unknown key "scope"; did you mean "scopes"?'],
    [{ ttl: { sesion: 60 } }, 'ttl: unknown key "sesion"; did you mean "session"?'],
    [{ logLevel: 'info' }, 'unknown key "logLevel"; did you mean "log_level"?'],
    [{ default_audiance: 'x' }, 'unknown key "default_audiance"; did you mean "default_audience"?']
  ]
  for (const [content, expected] of cases) {
    const { file, message } = configFileErrorOf(t, content)
    t.equal(message, `${file}: ${expected}`)
  }
})

t.test('nothing is suggested when no known key is close', async (t) => {
  const far = configFileErrorOf(t, { clients: [{ ...spa, redirect_uris: [] }] })
  t.equal(far.message, `${far.file}: clients[0]: unknown key "redirect_uris"`)
  const top = configFileErrorOf(t, { tenant: {} })
  t.equal(top.message, `${top.file}: unknown key "tenant"`)
})

t.test('only keys of the same level are candidates', async (t) => {
  // a resource server has a "name"; the top level has no key near "nme"
  const { file, message } = configFileErrorOf(t, { resource_servers: [{ identifier: 'a', nme: 'A' }] })
  t.equal(message, `${file}: resource_servers[0]: unknown key "nme"; did you mean "name"?`)
  const top = configFileErrorOf(t, { nme: 'A' })
  t.equal(top.message, `${top.file}: unknown key "nme"`)
})

t.test('edit distance', async (t) => {
  t.equal(editDistance('callback_url', 'callbacks'), 4)
  t.equal(editDistance('kitten', 'sitting'), 3)
  t.equal(editDistance('ab', 'ba'), 1, 'a swap is one edit')
  t.equal(editDistance('PORT', 'port'), 0, 'case is ignored')
  t.equal(editDistance('', 'abc'), 3)
  t.equal(nearestKey('prot', ['host', 'port']), 'port')
  t.equal(nearestKey('xyz', ['host', 'port']), undefined)
  t.equal(nearestKey('hots', ['host', 'port']), 'host')
})
