// The protocol events also reach the log, at debug level, with their fields.
import t from 'tap'
import { buildServer } from '../../src/server.js'
import { testConfig } from '../helpers/tenant.js'

t.test('each event is one debug line: its kind, client and user, and its summary', async (t) => {
  const lines: string[] = []
  const app = await buildServer(testConfig({ logLevel: 'debug', logFormat: 'json' }), { logStream: { write: (line) => void lines.push(line) } })
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: { grant_type: 'client_credentials', client_id: 'backend', client_secret: 'backend-secret', audience: 'appointments:api' },
  })
  t.equal(res.statusCode, 200, res.body)
  const logged = lines.map((line) => JSON.parse(line)).filter((entry) => entry.event !== undefined)
  t.equal(logged.length, 1)
  t.match(logged[0], { level: 20, event: 'token.issued', client_id: 'backend', msg: 'event: client_credentials: issued access_token' })
  t.notOk('user_id' in logged[0], 'a machine token names no user')
})

t.test('at info level the events stay out of the log', async (t) => {
  const lines: string[] = []
  const app = await buildServer(testConfig({ logLevel: 'info', logFormat: 'json' }), { logStream: { write: (line) => void lines.push(line) } })
  t.teardown(() => app.close())
  await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'client_credentials', client_id: 'backend', client_secret: 'backend-secret', audience: 'appointments:api' } })
  t.equal(lines.filter((line) => line.includes('"event"')).length, 0)
})
