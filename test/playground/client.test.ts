// The playground's client gatehouse-playground is registered in every tenant, unless the config says playground: false.
import path from 'node:path'
import t from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load.js'
import type { Client, ClientGrant } from '../../src/config/types.js'
import { clientGrantId } from '../../src/tenant/seed.js'
import { bannerLinks, playgroundUrls } from '../../src/playground/urls.js'
import { createMemoryStore } from '../../src/store/index.js'
import { buildServerWithStore, buildTestServer, fakeClock } from '../helpers/server.js'
import { ISSUER, testTenant } from '../helpers/tenant.js'

t.test('registered with callbacks under <issuer>playground/ and the issuer origin as web origin', async (t) => {
  const { store } = await buildServerWithStore(t)
  const client = await store.get<Client>('client', 'gatehouse-playground')
  t.ok(client, 'present')
  const { client_secret: secret, ...rest } = client!
  t.match(secret, /^[A-Za-z0-9_-]{64}$/, 'a generated secret')
  t.strictSame(rest, {
    client_id: 'gatehouse-playground',
    name: 'Gatehouse Playground',
    app_type: 'regular_web',
    callbacks: [`${ISSUER}playground/callback`],
    allowed_logout_urls: [`${ISSUER}playground/callback`],
    web_origins: ['http://gatehouse.test'],
    grant_types: ['implicit', 'authorization_code', 'refresh_token', 'client_credentials', 'password'],
    is_first_party: false,
    token_endpoint_auth_method: 'client_secret_basic',
    refresh_token: { rotation_type: 'rotating' },
  })
})

t.test('a client grant to every API with all its scopes, for client_credentials', async (t) => {
  const { store } = await buildServerWithStore(t)
  t.strictSame(await store.get<ClientGrant>('client_grant', clientGrantId('gatehouse-playground', 'appointments:api')), {
    client_id: 'gatehouse-playground',
    audience: 'appointments:api',
    scope: ['read:appointments', 'write:appointments'],
  })
  t.strictSame(await store.get<ClientGrant>('client_grant', clientGrantId('gatehouse-playground', 'https://ec.example.com/')), {
    client_id: 'gatehouse-playground',
    audience: 'https://ec.example.com/',
    scope: ['read:ec'],
  })
})

t.test('each server makes its own secret', async (t) => {
  const a = await buildServerWithStore(t)
  const b = await buildServerWithStore(t)
  const secretOf = async (s: typeof a) => (await s.store.get<Client>('client', 'gatehouse-playground'))!.client_secret
  t.not(await secretOf(a), await secretOf(b))
})

t.test('an issuer with a path puts the callback under it', async (t) => {
  const { store } = await buildServerWithStore(t, { issuer: 'http://gatehouse.test/tenant-a/' })
  const client = await store.get<Client>('client', 'gatehouse-playground')
  t.strictSame(client?.callbacks, ['http://gatehouse.test/tenant-a/playground/callback'])
  t.strictSame(client?.web_origins, ['http://gatehouse.test'])
})

t.test('a gatehouse-playground client and grants defined in the config are kept as configured', async (t) => {
  const tenant = testTenant()
  const own: Client = { ...tenant.clients[0]!, client_id: 'gatehouse-playground', name: 'Mine' }
  tenant.clients.push(own)
  tenant.client_grants.push({ client_id: 'gatehouse-playground', audience: 'appointments:api', scope: [] })
  const { store } = await buildServerWithStore(t, { tenant })
  t.equal((await store.get<Client>('client', 'gatehouse-playground'))?.name, 'Mine')
  t.strictSame((await store.get<ClientGrant>('client_grant', clientGrantId('gatehouse-playground', 'appointments:api')))?.scope, [])
})

t.test('playground: false registers no client and serves no playground', async (t) => {
  const { app, store } = await buildServerWithStore(t, { playground: false })
  t.equal(await store.get('client', 'gatehouse-playground'), undefined)
  t.equal(await store.get('client_grant', clientGrantId('gatehouse-playground', 'appointments:api')), undefined)
  t.equal((await app.inject({ url: '/playground' })).statusCode, 404)
  t.equal((await app.inject({ url: '/playground/callback' })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/playground/token', payload: {} })).statusCode, 404)
})

t.test('a start with playground: false on a store that had it forgets its client and grants', async (t) => {
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const first = await buildTestServer(t, {}, fakeClock(), { store })
  t.ok(await store.get('client', 'gatehouse-playground'), 'registered by the first start')
  await first.app.close()
  await buildTestServer(t, { playground: false }, fakeClock(), { store })
  t.equal(await store.get('client', 'gatehouse-playground'), undefined)
  t.equal(await store.get('client_grant', clientGrantId('gatehouse-playground', 'appointments:api')), undefined)
  t.ok(await store.get('client_grant', clientGrantId('backend', 'appointments:api')), 'other grants stay')
})

t.test('the URLs the banner and pages link to', async (t) => {
  t.strictSame(playgroundUrls('http://localhost:4000/'), {
    landing: 'http://localhost:4000/',
    playground: 'http://localhost:4000/playground',
    callback: 'http://localhost:4000/playground/callback',
    quickStart: 'http://localhost:4000/playground?flow=implicit-id-token-token&run=1',
  })
  t.strictSame(bannerLinks({ issuer: 'http://localhost:4000/' }), {
    landing: 'http://localhost:4000/',
    playground: 'http://localhost:4000/playground',
    signIn: 'http://localhost:4000/playground?flow=implicit-id-token-token&run=1',
  })
  t.strictSame(bannerLinks({ issuer: 'http://localhost:4000/', playground: false }), { landing: 'http://localhost:4000/' })
})

t.test('the config key "playground"', async (t) => {
  const load = (file: unknown) => {
    const dir = t.testdir({ 'gatehouse.json': JSON.stringify(file) })
    return loadConfig({}, ['--config', path.join(dir, 'gatehouse.json')])
  }
  t.equal(load({ playground: false }).playground, false)
  t.equal(load({ playground: true }).playground, true)
  t.equal(load({}).playground, undefined, 'absent: on')
  t.equal(loadConfig({}, []).playground, undefined, 'the demo tenant has it on')
  t.throws(() => load({ playground: 'off' }), new ConfigError(`${path.join(t.testdirName, 'gatehouse.json')}: playground: must be true or false`))
})
