// Auth0's own Node SDK (auth0 v4, ManagementClient) against a listening Gatehouse: it gets its token with
// client_credentials and drives users, grants, clients, resource servers and client grants. The SDK always
// speaks https://<domain>; its `fetch` option carries the requests to Gatehouse's plain-HTTP port.
import { ManagementApiError, ManagementClient } from 'auth0'
import t from 'tap'
import { MANAGEMENT_SCOPES } from '../../src/management/scopes.js'
import { buildServer } from '../../src/server.js'
import { freePort } from '../helpers/listen.js'
import { testConfig, testTenant } from '../helpers/tenant.js'
import { machine } from './helpers.js'

const port = await freePort()
const issuer = `http://127.0.0.1:${port}/`
const tenant = testTenant()
const manager = machine('manager', 'manager-secret')
tenant.clients.push(manager)
tenant.client_grants.push({ client_id: 'manager', audience: `${issuer}api/v2/`, scope: [...MANAGEMENT_SCOPES] })
const app = await buildServer(testConfig({ issuer, port, tenant }), { logger: false })
await app.listen({ host: '127.0.0.1', port })
t.teardown(() => app.close())

const management = new ManagementClient({
  domain: `127.0.0.1:${port}`,
  clientId: 'manager',
  clientSecret: 'manager-secret',
  audience: `${issuer}api/v2/`,
  telemetry: false,
  fetch: (url, init) => fetch(String(url instanceof Request ? url.url : url).replace(/^https:/, 'http:'), init),
})

const CONNECTION = 'Username-Password-Authentication'

t.test('users: create, search, read, update, delete; errors arrive as ManagementApiError', async (t) => {
  const { data: created, status } = await management.users.create({ connection: CONNECTION, email: 'sdk@example.com', password: 'sdk-pass', user_metadata: { a: 1 } })
  t.equal(status, 201)
  t.match(created.user_id, /^auth0\|[0-9a-f]{24}$/)
  t.equal(created.email, 'sdk@example.com')

  const { data: page } = await management.users.getAll({ q: 'email:"sdk@example.com"', search_engine: 'v3', include_totals: true })
  t.equal(page.total, 1)
  t.equal(page.users[0]!.user_id, created.user_id)
  const { data: byEmail } = await management.usersByEmail.getByEmail({ email: 'SDK@example.com' })
  t.strictSame(byEmail.map((u) => u.user_id), [created.user_id])

  const { data: updated } = await management.users.update({ id: created.user_id }, { user_metadata: { a: null, b: 2 }, blocked: true })
  t.strictSame(updated.user_metadata, { b: 2 })
  t.equal(updated.blocked, true)
  t.equal((await management.users.get({ id: created.user_id })).data.blocked, true)

  const deleted = await management.users.delete({ id: created.user_id })
  t.equal(deleted.status, 204)
  const error = await management.users.get({ id: created.user_id }).catch((err: unknown) => err)
  t.ok(error instanceof ManagementApiError)
  t.match(error, { statusCode: 404, errorCode: 'inexistent_user', error: 'Not Found', message: 'The user does not exist.' })

  const invalid = await management.users.create({ connection: CONNECTION, email: 'x@example.com', password: 'x', nope: 1 } as never).catch((err: unknown) => err)
  t.match(invalid, { statusCode: 400, errorCode: 'invalid_body', message: "Payload validation error: 'Additional properties not allowed: nope'." })
})

t.test('users: paging as the SDK asks for it', async (t) => {
  const { data } = await management.users.getAll({ page: 0, per_page: 1, include_totals: true })
  t.strictSame({ start: data.start, limit: data.limit, length: data.length, total: data.total }, { start: 0, limit: 1, length: 1, total: 2 })
  const { data: plain } = await management.users.getAll({ per_page: 5 })
  t.strictSame(plain.map((u) => u.user_id), ['auth0|alice', 'auth0|bob'])
})

t.test('clients: create, read with the secret, update, rotate the secret, delete', async (t) => {
  const { data: created } = await management.clients.create({ name: 'SDK App', app_type: 'regular_web', callbacks: ['https://sdk.example.com/cb'] })
  t.equal(created.name, 'SDK App')
  t.equal(created.client_secret?.length, 64)
  const { data: read } = await management.clients.get({ client_id: created.client_id! })
  t.equal(read.client_secret, created.client_secret)
  const { data: updated } = await management.clients.update({ client_id: created.client_id! }, { callbacks: ['https://sdk.example.com/other'] })
  t.strictSame(updated.callbacks, ['https://sdk.example.com/other'])
  const { data: rotated } = await management.clients.rotateClientSecret({ client_id: created.client_id! })
  t.not(rotated.client_secret, created.client_secret)
  const { data: all } = await management.clients.getAll({ include_totals: true, per_page: 2 })
  t.equal(all.clients.length, 2)
  t.ok(all.total >= 8)
  t.equal((await management.clients.delete({ client_id: created.client_id! })).status, 204)
})

t.test('resource servers and client grants', async (t) => {
  const { data: api } = await management.resourceServers.create({ identifier: 'https://sdk-api.example.com/', name: 'SDK API', scopes: [{ value: 'read:sdk', description: 'Read' }] })
  t.equal(api.identifier, 'https://sdk-api.example.com/')
  const { data: grant } = await management.clientGrants.create({ client_id: 'backend', audience: 'https://sdk-api.example.com/', scope: ['read:sdk'] })
  t.match(grant.id, /^cgr_/)
  const { data: grants } = await management.clientGrants.getAll({ client_id: 'backend' })
  t.strictSame(grants.map((g) => g.audience).sort(), ['appointments:api', 'https://sdk-api.example.com/'])
  const { data: patched } = await management.clientGrants.update({ id: grant.id! }, { scope: [] })
  t.strictSame(patched.scope, [])
  t.equal((await management.clientGrants.delete({ id: grant.id! })).status, 204)
  const { data: fetched } = await management.resourceServers.get({ id: api.id! })
  t.equal(fetched.name, 'SDK API')
  const { data: servers } = await management.resourceServers.getAll()
  t.equal(servers[0]!.is_system, true)
  t.equal((await management.resourceServers.delete({ id: api.id! })).status, 204)
})

t.test('grants: list and delete by user', async (t) => {
  const { data: grants } = await management.grants.getAll({ user_id: 'auth0|alice' })
  t.strictSame(grants, [])
  t.equal((await management.grants.deleteByUserId({ user_id: 'auth0|alice' })).status, 204)
})
