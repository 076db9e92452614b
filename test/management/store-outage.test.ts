// A store that cannot answer: the Management API says 503 in Auth0's shape, with Retry-After, never a 500.
import t from 'tap'
import { buildServer } from '../../src/server.js'
import { createMemoryStore, StoreUnavailableError, type Store } from '../../src/store/index.js'
import { fakeClock } from '../helpers/server.js'
import { testConfig } from '../helpers/tenant.js'
import { answer, auth0Error, managementApi, managementTenant, managementToken } from './helpers.js'

const clock = fakeClock()
const memory = createMemoryStore({ clock })
let down = false
// Every operation fails while `down`, as a database that went away would.
const store = new Proxy(memory, {
  get(target, prop, receiver) {
    const value: unknown = Reflect.get(target, prop, receiver)
    if (typeof value !== 'function' || prop === 'close') return value
    return (...args: unknown[]) => {
      if (down) return Promise.reject(new StoreUnavailableError('database unreachable'))
      return (value as (...a: unknown[]) => unknown).apply(target, args)
    }
  },
}) as Store
const app = await buildServer(testConfig({ tenant: managementTenant() }), { clock, logger: false, store })
t.teardown(async () => {
  await app.close()
  await memory.close()
})
const api = managementApi(app, await managementToken(app))

t.test('503 temporarily_unavailable with Retry-After while the store is down; fine again after', async (t) => {
  down = true
  const res = await api.get('/users')
  t.strictSame(answer(res), auth0Error(503, 'Service Unavailable', 'The store is unavailable; try again shortly.', 'temporarily_unavailable'))
  t.equal(res.headers['retry-after'], '5')
  down = false
  t.equal((await api.get('/users')).statusCode, 200)
})
