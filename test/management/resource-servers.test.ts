// /api/v2/resource-servers: APIs, with the Management API listed as the system one; changes hold at once.
import t from 'tap'
import { fragmentOf, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { BACKEND_BASIC, postToken } from '../helpers/tokens.js'
import { answer, auth0Error, buildManagementServer, MANAGEMENT_AUDIENCE } from './helpers.js'

const APPOINTMENTS_ID = Buffer.from('appointments:api').toString('base64url')
const implicit = (extra: Record<string, string> = {}) => ({
  client_id: 'first-party',
  redirect_uri: CALLBACK,
  response_type: 'token',
  audience: 'appointments:api',
  scope: 'read:appointments',
  state: 's',
  ...extra,
})

t.test('GET /resource-servers: the system Management API first, then the tenant\'s APIs', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.get('/resource-servers', { include_totals: true })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.strictSame(
    { ...body, resource_servers: body.resource_servers.map((r: { identifier: string; is_system: boolean }) => [r.identifier, r.is_system]) },
    { start: 0, limit: 50, length: 3, total: 3, resource_servers: [[MANAGEMENT_AUDIENCE, true], ['appointments:api', false], ['https://ec.example.com/', false]] },
  )
  t.strictSame(body.resource_servers[1], {
    id: APPOINTMENTS_ID,
    name: 'Appointments API',
    identifier: 'appointments:api',
    is_system: false,
    scopes: [
      { value: 'read:appointments', description: 'Read your appointments' },
      { value: 'write:appointments', description: 'Book and cancel <appointments>' },
    ],
    signing_alg: 'RS256',
    token_lifetime: 86400,
    token_lifetime_for_web: 7200,
    skip_consent_for_verifiable_first_party_clients: true,
    allow_offline_access: true,
    enforce_policies: false,
    token_dialect: 'access_token',
  })
  const second = (await api.get('/resource-servers', { per_page: 2, page: 1 })).json()
  t.strictSame(second.map((r: { identifier: string }) => r.identifier), ['https://ec.example.com/'])
  const picked = (await api.get('/resource-servers', { identifiers: `https://ec.example.com/,${MANAGEMENT_AUDIENCE},nope` })).json()
  t.strictSame(picked.map((r: { identifier: string }) => r.identifier), ['https://ec.example.com/', MANAGEMENT_AUDIENCE])
})

t.test('GET /resource-servers/{id}: by id, or by the URL-encoded identifier', async (t) => {
  const { api } = await buildManagementServer(t)
  t.equal((await api.get(`/resource-servers/${APPOINTMENTS_ID}`)).json().identifier, 'appointments:api')
  t.equal((await api.get(`/resource-servers/${encodeURIComponent('https://ec.example.com/')}`)).json().identifier, 'https://ec.example.com/')
  t.equal((await api.get(`/resource-servers/${encodeURIComponent(MANAGEMENT_AUDIENCE)}`)).json().is_system, true)
  t.strictSame(
    answer(await api.get('/resource-servers/nope')),
    auth0Error(404, 'Not Found', 'The resource server does not exist', 'inexistent_resource_server'),
  )
})

t.test('POST /resource-servers: defaults, duplicates, validation', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.post('/resource-servers', { identifier: 'https://billing.example.com/', scopes: [{ value: 'read:bills' }] })
  t.equal(res.statusCode, 201)
  t.strictSame(res.json(), {
    id: Buffer.from('https://billing.example.com/').toString('base64url'),
    name: 'https://billing.example.com/',
    identifier: 'https://billing.example.com/',
    is_system: false,
    scopes: [{ value: 'read:bills', description: 'read:bills' }],
    signing_alg: 'RS256',
    token_lifetime: 86400,
    token_lifetime_for_web: 7200,
    skip_consent_for_verifiable_first_party_clients: true,
    allow_offline_access: false,
    enforce_policies: false,
    token_dialect: 'access_token',
  })
  const exists = auth0Error(409, 'Conflict', 'A resource server with the same identifier already exists', 'resource_server_conflict')
  t.strictSame(answer(await api.post('/resource-servers', { identifier: 'https://billing.example.com/' })), exists)
  t.strictSame(answer(await api.post('/resource-servers', { identifier: MANAGEMENT_AUDIENCE })), exists)
  t.strictSame(
    answer(await api.post('/resource-servers', { name: 'x' })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Missing required property: identifier'.", 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post('/resource-servers', { identifier: 'x', scopes: [{ value: 'has space' }] })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Object didn't pass validation for format scope-token: has space' on property scopes[0].value.", 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post('/resource-servers', { identifier: 'x', token_lifetime: 0 })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Value 0 is less than minimum 1' on property token_lifetime.", 'invalid_body'),
  )
})

t.test('a new API and its scopes are usable at /authorize at once', async (t) => {
  const { app, api } = await buildManagementServer(t)
  await api.post('/resource-servers', { identifier: 'billing', scopes: [{ value: 'read:bills', description: 'Read bills' }] })
  const { res } = await signIn(app, implicit({ audience: 'billing', scope: 'read:bills' }))
  t.equal(fragmentOf(String(res.headers.location)).scope, 'read:bills')
})

t.test('PATCH scopes: a removed scope is refused on the next request; token_lifetime holds for the next token', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const { cookie } = await signIn(app, implicit())
  const res = await api.patch(`/resource-servers/${APPOINTMENTS_ID}`, { scopes: [{ value: 'write:appointments' }], token_lifetime: 600 })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json().scopes, [{ value: 'write:appointments', description: 'write:appointments' }])
  const refused = await startAuthorize(app, implicit(), cookie)
  t.equal(fragmentOf(String(refused.headers.location)).error, 'invalid_scope')

  const token = await postToken(
    app,
    { grant_type: 'client_credentials', audience: 'appointments:api', scope: 'read:appointments' },
    { authorization: BACKEND_BASIC },
  )
  t.equal(token.json().expires_in, 600)
})

t.test('the system API cannot be changed or deleted', async (t) => {
  const { api } = await buildManagementServer(t)
  const refused = auth0Error(403, 'Forbidden', 'The Auth0 Management API cannot be changed or deleted', 'operation_not_supported')
  t.strictSame(answer(await api.patch('/resource-servers/management-api', { name: 'x' })), refused)
  t.strictSame(answer(await api.delete(`/resource-servers/${encodeURIComponent(MANAGEMENT_AUDIENCE)}`)), refused)
  t.strictSame(
    answer(await api.patch(`/resource-servers/${APPOINTMENTS_ID}`, { identifier: 'other' })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Additional properties not allowed: identifier'.", 'invalid_body'),
  )
})

t.test('DELETE /resource-servers/{id}: the API and its client grants are gone; /authorize no longer knows it', async (t) => {
  const { app, api, store } = await buildManagementServer(t)
  t.strictSame(answer(await api.delete(`/resource-servers/${APPOINTMENTS_ID}`)), { status: 204, body: undefined })
  t.equal((await api.get(`/resource-servers/${APPOINTMENTS_ID}`)).statusCode, 404)
  const grants = (await api.get('/client-grants', { audience: 'appointments:api' })).json()
  t.strictSame(grants, [])
  t.equal(await store.count('client_grant'), 3, 'the other grants stay (the playground\'s to the EC API, and the Management API\'s)')
  const res = await startAuthorize(app, implicit())
  t.strictSame(fragmentOf(String(res.headers.location)), {
    error: 'access_denied',
    error_description: 'Service not found: appointments:api',
    state: 's',
  })
})
