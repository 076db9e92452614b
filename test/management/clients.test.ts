// /api/v2/clients: applications in Auth0's shape; a change holds from the next protocol request on.
import t from 'tap'
import { errorPageOf, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { basicAuth, BACKEND_BASIC, postToken } from '../helpers/tokens.js'
import { answer, auth0Error, buildManagementServer, managementApi, managementToken, MANAGER, MANAGER_SECRET } from './helpers.js'

const invalidBody = (message: string) => auth0Error(400, 'Bad Request', message, 'invalid_body')
const implicit = (clientId: string, redirectUri: string) => ({
  client_id: clientId,
  redirect_uri: redirectUri,
  response_type: 'id_token',
  scope: 'openid',
  nonce: 'n',
  state: 's',
})

t.test('POST /clients: a confidential web app by default, with a generated secret shown once created', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.post('/clients', { name: 'Reports', description: 'Monthly reports', callbacks: ['https://reports.example.com/cb'] })
  t.equal(res.statusCode, 201)
  const client = res.json()
  t.equal(client.client_id.length, 32)
  t.equal(client.client_secret.length, 64)
  t.strictSame(client, {
    client_id: client.client_id,
    name: 'Reports',
    app_type: 'regular_web',
    is_first_party: true,
    oidc_conformant: true,
    callbacks: ['https://reports.example.com/cb'],
    allowed_logout_urls: [],
    web_origins: [],
    grant_types: ['implicit', 'authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
    jwt_configuration: { alg: 'RS256' },
    refresh_token: { rotation_type: 'non-rotating', leeway: 0 },
    description: 'Monthly reports',
    client_secret: client.client_secret,
  })
  t.equal((await api.get(`/clients/${client.client_id}`)).json().client_secret, client.client_secret, 'read:client_keys shows the secret')
})

t.test('a SPA is public: no secret, no client_credentials', async (t) => {
  const { api } = await buildManagementServer(t)
  const spa = (await api.post('/clients', { name: 'SPA', app_type: 'spa', web_origins: ['https://spa.example.com'] })).json()
  t.equal(spa.token_endpoint_auth_method, 'none')
  t.strictSame(spa.grant_types, ['implicit', 'authorization_code', 'refresh_token'])
  t.notOk('client_secret' in spa)
})

t.test('payload validation', async (t) => {
  const { api } = await buildManagementServer(t)
  const cases: [string, unknown, ReturnType<typeof auth0Error>][] = [
    ['name is required', {}, invalidBody("Payload validation error: 'Missing required property: name'.")],
    ['unknown properties', { name: 'x', logo_uri: 'https://x.example.com/l.png' }, invalidBody("Payload validation error: 'Additional properties not allowed: logo_uri'.")],
    ['callbacks must be absolute URLs', { name: 'x', callbacks: ['localhost:3000/cb'] }, invalidBody("Payload validation error: 'Object didn't pass validation for format absolute-url: localhost:3000/cb' on property callbacks[0].")],
    ['app_type is one of Auth0\'s', { name: 'x', app_type: 'desktop' }, invalidBody("Payload validation error: 'No enum match for: \"desktop\"' on property app_type.")],
    ['grant types do not repeat', { name: 'x', grant_types: ['implicit', 'implicit'] }, invalidBody("Payload validation error: 'Array items are not unique (indexes 0 and 1)' on property grant_types.")],
    [
      'client_credentials needs a confidential client',
      { name: 'x', app_type: 'spa', grant_types: ['client_credentials'] },
      invalidBody('client_credentials needs a confidential client (token_endpoint_auth_method client_secret_post or client_secret_basic)'),
    ],
    ['no fragment in callbacks', { name: 'x', callbacks: ['https://x.example.com/cb#frag'] }, invalidBody('callbacks must not contain a fragment (#): https://x.example.com/cb#frag')],
  ]
  for (const [name, body, expected] of cases) t.strictSame(answer(await api.post('/clients', body)), expected, name)
})

t.test('GET /clients: client_secret only with read:client_keys; paging and filters', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const all = (await api.get('/clients', { per_page: 100 })).json()
  t.strictSame(
    all.map((c: { client_id: string }) => c.client_id),
    ['backend', 'code-only', 'first-party', 'gatehouse-playground', 'manager', 'organizer', 'reader', 'single'],
    'in client_id order',
  )
  t.equal(all.find((c: { client_id: string }) => c.client_id === 'backend').client_secret, 'backend-secret')

  const readOnly = managementApi(app, await managementToken(app, MANAGER, MANAGER_SECRET, 'read:clients'))
  const hidden = await readOnly.get('/clients', { per_page: 100 })
  t.notMatch(hidden.body, /"client_secret":/, 'without read:client_keys no secret is shown')
  t.notMatch((await readOnly.get('/clients/backend')).body, /"client_secret":/)

  const page = (await api.get('/clients', { per_page: 3, page: 1, include_totals: true, fields: 'client_id' })).json()
  t.strictSame(page, { start: 3, limit: 3, length: 3, total: 8, clients: [{ client_id: 'gatehouse-playground' }, { client_id: 'manager' }, { client_id: 'organizer' }] })
  const machines = (await api.get('/clients', { app_type: 'non_interactive,native', include_totals: true, fields: 'client_id' })).json()
  t.strictSame(machines, { start: 0, limit: 50, length: 2, total: 2, clients: [{ client_id: 'manager' }, { client_id: 'reader' }] })
  const thirdParty = (await api.get('/clients', { is_first_party: false, fields: 'client_id' })).json()
  t.strictSame(thirdParty, [{ client_id: 'code-only' }, { client_id: 'gatehouse-playground' }, { client_id: 'organizer' }, { client_id: 'single' }])
  t.strictSame((await api.get('/clients', { is_global: true })).json(), [])
})

t.test('unknown clients: 404 inexistent_client', async (t) => {
  const { api } = await buildManagementServer(t)
  const missing = auth0Error(404, 'Not Found', 'The client does not exist', 'inexistent_client')
  t.strictSame(answer(await api.get('/clients/nope')), missing)
  t.strictSame(answer(await api.patch('/clients/nope', { name: 'x' })), missing)
  t.strictSame(answer(await api.delete('/clients/nope')), missing)
  t.strictSame(answer(await api.post('/clients/nope/rotate-secret')), missing)
})

t.test('a new client works at /authorize at once', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const spa = (await api.post('/clients', { name: 'New SPA', app_type: 'spa', callbacks: ['https://new.example.com/cb'] })).json()
  const res = await startAuthorize(app, implicit(spa.client_id, 'https://new.example.com/cb'))
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, /^\/login\//)
})

t.test('PATCH callbacks: /authorize accepts the new list, and only it, on the next request', async (t) => {
  const { app, api } = await buildManagementServer(t)
  t.equal((await startAuthorize(app, implicit('organizer', CALLBACK))).statusCode, 303)
  const res = await api.patch('/clients/organizer', { callbacks: ['https://moved.example.com/cb'], name: 'Organizer 2' })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json().callbacks, ['https://moved.example.com/cb'])
  t.equal(res.json().name, 'Organizer 2')
  t.equal(res.json().web_origins.length, 1, 'what the request left out is kept')

  const old = await startAuthorize(app, implicit('organizer', CALLBACK))
  t.equal(old.statusCode, 400)
  t.equal(errorPageOf(old.body)?.error, 'invalid_request', 'the old callback is refused')
  const moved = await startAuthorize(app, implicit('organizer', 'https://moved.example.com/cb'))
  t.equal(moved.statusCode, 303)
  t.match(moved.headers.location, /^\/login\//)
})

t.test('PATCH: a client made confidential gets a secret; the rules still hold', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.patch('/clients/organizer', { token_endpoint_auth_method: 'client_secret_basic', app_type: 'regular_web' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().client_secret.length, 64)
  t.strictSame(
    answer(await api.patch('/clients/single', { grant_types: ['client_credentials'] })),
    invalidBody('client_credentials needs a confidential client (token_endpoint_auth_method client_secret_post or client_secret_basic)'),
  )
  t.strictSame(
    answer(await api.patch('/clients/single', { client_id: 'other' })),
    invalidBody("Payload validation error: 'Additional properties not allowed: client_id'."),
  )
})

t.test('rotate-secret: the new secret works at once and the old one no longer does', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const cc = (secret: string) =>
    postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: basicAuth('backend', secret) })
  t.equal((await cc('backend-secret')).statusCode, 200)
  const res = await api.post('/clients/backend/rotate-secret')
  t.equal(res.statusCode, 200)
  const secret = res.json().client_secret
  t.equal(secret.length, 64)
  t.not(secret, 'backend-secret')
  t.equal((await cc('backend-secret')).statusCode, 401)
  t.equal((await cc(secret)).statusCode, 200)
})

t.test('DELETE /clients/{id}: the client, and its client grants, are gone', async (t) => {
  const { app, api, store } = await buildManagementServer(t)
  t.strictSame(answer(await api.delete('/clients/backend')), { status: 204, body: undefined })
  t.equal((await api.get('/clients/backend')).statusCode, 404)
  t.equal((await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC })).statusCode, 401)
  t.equal(await store.count('client_grant', '["backend",'), 0)
  const page = await startAuthorize(app, implicit('backend', CALLBACK))
  t.strictSame(errorPageOf(page.body), { error: 'invalid_client', description: 'unknown client: backend' })
})
