// On a persistent store (SQLite), what the Management API creates outlives a restart, and look-ups and
// prefix listings (a user's grants, a client's grants) work as on the memory store.
import path from 'node:path'
import t from 'tap'
import { buildServer } from '../../src/server.js'
import { CONSENT_REQUEST, signIn } from '../helpers/server.js'
import { testConfig } from '../helpers/tenant.js'
import { BACKEND_BASIC, postToken } from '../helpers/tokens.js'
import { managementApi, managementTenant, managementToken, userPath } from './helpers.js'
import { madeKey } from '../helpers/made-keys.js'

t.test('users, clients and grants survive a restart on SQLite', async (t) => {
  const store = `sqlite:${path.join(t.testdir(), 'gatehouse.db')}`
  const start = async () => {
    const app = await buildServer(testConfig({ tenant: managementTenant(), store }), { logger: false, generateKey: madeKey })
    return { app, api: managementApi(app, await managementToken(app)) }
  }

  const first = await start()
  const created = await first.api.post('/users', { connection: 'Username-Password-Authentication', email: 'ivy@example.com', password: 'ivy-pw' })
  t.equal(created.statusCode, 201)
  const userId = created.json().user_id
  const client = (await first.api.post('/clients', { name: 'Persistent', app_type: 'spa', callbacks: ['https://p.example.com/cb'] })).json()
  await signIn(first.app, CONSENT_REQUEST)
  t.equal((await first.api.get('/grants', { user_id: 'auth0|alice' })).json().length, 1)
  await first.app.close()

  const second = await start()
  t.teardown(() => second.app.close())
  t.equal((await second.api.get(userPath(userId))).json().email, 'ivy@example.com')
  t.equal((await second.api.get('/users-by-email', { email: 'ivy@example.com' })).json()[0].user_id, userId)
  const login = await postToken(second.app, { grant_type: 'password', username: 'ivy@example.com', password: 'ivy-pw' }, { authorization: BACKEND_BASIC })
  t.equal(login.statusCode, 200, 'the new user signs in after the restart')
  t.equal((await second.api.get(`/clients/${client.client_id}`)).json().name, 'Persistent')
  t.equal((await second.api.delete('/grants', { user_id: 'auth0|alice' })).statusCode, 204)
  t.strictSame((await second.api.get('/grants')).json(), [])
  t.equal((await second.api.get('/client-grants', { client_id: 'backend', include_totals: true })).json().total, 1)
})
