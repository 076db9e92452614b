// Without --test-controls there are no controls: every _gatehouse path is a 404, and nothing else changes.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { buildControlledServer } from './helpers.js'

const PATHS = ['reset', 'scenarios', 'scenarios/abc', 'tokens', 'clock', 'events', 'anything/else', '']

t.test('with the flag off, every _gatehouse path and method is a 404', async (t) => {
  const { app } = await buildTestServer(t)
  for (const path of PATHS) {
    for (const method of ['GET', 'POST', 'DELETE'] as const) {
      const res = await app.inject({ method, url: `/_gatehouse/${path}`, payload: method === 'POST' ? {} : undefined })
      t.equal(res.statusCode, 404, `${method} /_gatehouse/${path}`)
      t.equal(res.json().error, 'not_found')
    }
  }
})

t.test('with the flag on, unknown control paths are 404s too', async (t) => {
  const { app } = await buildControlledServer(t)
  t.equal((await app.inject({ url: '/_gatehouse/anything' })).statusCode, 404)
  t.equal((await app.inject({ method: 'PUT', url: '/_gatehouse/clock' })).statusCode, 404)
})

t.test('under an issuer with a path, the controls live under it', async (t) => {
  const { app } = await buildControlledServer(t, { issuer: 'http://gatehouse.test/tenant/' })
  t.equal((await app.inject({ url: '/tenant/_gatehouse/clock' })).statusCode, 200)
  t.equal((await app.inject({ url: '/_gatehouse/clock' })).statusCode, 404)
})
