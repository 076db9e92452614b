// Hardening: a confidential client configured without client_secret (as Auth0 exports omit it) gets a generated
// one, logged once at start, and kept across restarts of the same store.
import path from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { loadConfig } from '../../src/config/load.js'
import type { Config, Tenant } from '../../src/config/types.js'
import { buildServer, type ServerOverrides } from '../../src/server.js'
import { createMemoryStore } from '../../src/store/index.js'
import { seedTenant, type StoredClient } from '../../src/tenant/seed.js'
import { fakeClock } from '../helpers/server.js'
import { sharedKeysDir, testTenant } from '../helpers/tenant.js'
import { basicAuth, errorOf, postToken } from '../helpers/tokens.js'

const GENERATED = /^client "backend" has no client_secret in the config; generated: ([A-Za-z0-9_-]{64})$/

/** A config file as Auth0 exports it: a confidential client without client_secret. */
function configWithoutSecret(t: Test): Config {
  const file = {
    clients: [{ client_id: 'backend', name: 'Backend', app_type: 'non_interactive' }],
    resource_servers: [{ identifier: 'appointments:api', scopes: [{ value: 'read:appointments' }] }],
    client_grants: [{ client_id: 'backend', audience: 'appointments:api', scope: ['read:appointments'] }]
  }
  const dir = t.testdir({ 'gatehouse.json': JSON.stringify(file) })
  const loaded = loadConfig({}, ['--config', path.join(dir, 'gatehouse.json'), '--log-level', 'info'])
  return { ...loaded, keysDir: sharedKeysDir() }
}

async function startWithLog(t: Test, config: Config, overrides: ServerOverrides = {}) {
  const lines: string[] = []
  const app = await buildServer(config, { clock: fakeClock(), logStream: { write: (line) => void lines.push(line) }, ...overrides })
  t.teardown(() => app.close())
  const messages = () => lines.map((line) => String((JSON.parse(line) as { msg?: unknown }).msg))
  return { app, lines, messages }
}

const cc = (app: Awaited<ReturnType<typeof buildServer>>, secret: string) =>
  postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: basicAuth('backend', secret) })

t.test('the server starts, logs the generated secret once, and accepts it', async (t) => {
  // Before: loadConfig refused the file ("client_secret is required …").
  const { app, lines, messages } = await startWithLog(t, configWithoutSecret(t))
  const generated = messages().flatMap((msg) => GENERATED.exec(msg)?.[1] ?? [])
  t.equal(generated.length, 1, 'one line names the generated secret, unredacted')
  const secret = generated[0]!

  const ok = await cc(app, secret)
  t.equal(ok.statusCode, 200)
  t.equal(ok.json().scope, 'read:appointments')
  t.strictSame(errorOf(await cc(app, `${secret}x`)), {
    status: 401,
    error: 'invalid_client',
    error_description: 'client authentication failed: wrong client_secret for backend'
  })
  await cc(app, secret)
  t.equal(lines.filter((line) => line.includes(secret)).length, 1, 'requests do not log it again')
})

t.test('a restart on the same store keeps the secret', async (t) => {
  const store = createMemoryStore({ clock: fakeClock() })
  const config = configWithoutSecret(t)
  const first = await startWithLog(t, config, { store })
  const secret = first.messages().flatMap((msg) => GENERATED.exec(msg)?.[1] ?? [])[0]!
  // a second server over the same store stands in for a restart on a persistent store
  const second = await startWithLog(t, config, { store })
  t.ok(
    second.messages().includes(`client "backend" has no client_secret in the config; kept the one generated before: ${secret}`)
  )
  t.equal((await cc(second.app, secret)).statusCode, 200)
})

/** A generator tests can predict: s-1, s-2, … */
const counter = () => {
  let n = 0
  return () => `s-${++n}`
}

function tenantOf(clients: Tenant['clients']): Tenant {
  return { ...testTenant(), clients, client_grants: [] }
}

t.test('seeding twice into one store keeps a generated secret', async (t) => {
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const log: string[] = []
  const opts = { newId: counter(), log: (message: string) => void log.push(message) }
  const backend = testTenant().clients.find((c) => c.client_id === 'backend')!
  const { client_secret: _configured, ...withoutSecret } = backend
  const tenant = tenantOf([withoutSecret])

  await seedTenant(store, tenant, opts)
  const first = await store.get<StoredClient>('client', 'backend')
  t.equal(first?.client_secret, 's-1')
  t.equal(first?.client_secret_generated, true)
  t.equal(await store.get('client_secret', 'backend'), 's-1', 'kept apart from the client, which the config rewrites')
  await seedTenant(store, tenant, opts)
  t.equal((await store.get<StoredClient>('client', 'backend'))?.client_secret, 's-1')
  t.strictSame(log, [
    'client "backend" has no client_secret in the config; generated: s-1',
    'client "backend" has no client_secret in the config; kept the one generated before: s-1'
  ])

  // a secret written into the config later wins, and is not a generated one
  await seedTenant(store, tenantOf([backend]), opts)
  const configured = await store.get<StoredClient>('client', 'backend')
  t.equal(configured?.client_secret, 'backend-secret')
  t.equal(configured?.client_secret_generated, undefined)
  // and a configured secret is never reused as a generated one once the config drops it
  await seedTenant(store, tenant, opts)
  t.equal((await store.get<StoredClient>('client', 'backend'))?.client_secret, 's-2')
  t.equal(log.length, 3)
})

t.test('replicas seeding one new store at once agree on the generated secret', async (t) => {
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const backend = testTenant().clients.find((c) => c.client_id === 'backend')!
  const { client_secret: _configured, ...withoutSecret } = backend
  const tenant = tenantOf([withoutSecret])
  const logs: string[][] = [[], [], []]
  let n = 0
  await Promise.all(logs.map((log) => seedTenant(store, tenant, { newId: () => `s-${++n}`, log: (m) => void log.push(m) })))
  const secret = (await store.get<StoredClient>('client', 'backend'))?.client_secret
  t.equal(secret, 's-1', 'the first one created wins')
  t.strictSame(
    logs.map((log) => log[0]!.replace(/; (generated|kept the one generated before): /, ': ')),
    logs.map(() => 'client "backend" has no client_secret in the config: s-1'),
    'every replica logs the secret that was kept',
  )
})

t.test('public clients get no secret', async (t) => {
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const log: string[] = []
  await seedTenant(store, testTenant(), { newId: counter(), log: (message) => void log.push(message) })
  t.equal((await store.get<StoredClient>('client', 'organizer'))?.client_secret, undefined)
  t.equal((await store.get<StoredClient>('client', 'backend'))?.client_secret, 'backend-secret')
  t.strictSame(log, [])
})
