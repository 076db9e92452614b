// /api/v2/client-grants: what client_credentials may get; the next token request follows every change.
import t from 'tap'
import { BACKEND_BASIC, postToken } from '../helpers/tokens.js'
import { answer, auth0Error, buildManagementServer, MANAGEMENT_AUDIENCE, managementApi } from './helpers.js'

const EC = 'https://ec.example.com/'

const ccFor = (app: Parameters<typeof postToken>[0], audience: string) =>
  postToken(app, { grant_type: 'client_credentials', audience }, { authorization: BACKEND_BASIC })

t.test('GET /client-grants: in client_id order; filters and totals', async (t) => {
  const { api } = await buildManagementServer(t)
  const all = (await api.get('/client-grants')).json()
  t.strictSame(
    all.map((g: { client_id: string; audience: string }) => `${g.client_id} ${g.audience}`),
    [
      'backend appointments:api',
      'gatehouse-playground appointments:api',
      `gatehouse-playground ${EC}`,
      `manager ${MANAGEMENT_AUDIENCE}`,
      `reader ${MANAGEMENT_AUDIENCE}`,
    ],
  )
  t.strictSame(all[0], { id: all[0].id, client_id: 'backend', audience: 'appointments:api', scope: ['read:appointments'] })
  t.match(all[0].id, /^cgr_[A-Za-z0-9_-]+$/)
  const playground = (await api.get('/client-grants', { client_id: 'gatehouse-playground', include_totals: true, per_page: 1 })).json()
  t.strictSame({ ...playground, client_grants: playground.client_grants.map((g: { audience: string }) => g.audience) }, {
    start: 0,
    limit: 1,
    length: 1,
    total: 2,
    client_grants: ['appointments:api'],
  })
  const management = (await api.get('/client-grants', { audience: MANAGEMENT_AUDIENCE, include_totals: true })).json()
  t.equal(management.total, 2)
  t.strictSame((await api.get('/client-grants', { client_id: 'backend', audience: EC })).json(), [])
  t.strictSame((await api.get('/client-grants', { client_id: 'back' })).json(), [], 'client_id is matched whole')
})

t.test('POST /client-grants: the client gets tokens for the API at once', async (t) => {
  const { app, api } = await buildManagementServer(t)
  t.equal((await ccFor(app, EC)).statusCode, 403, 'no grant yet')
  const res = await api.post('/client-grants', { client_id: 'backend', audience: EC, scope: ['read:ec'] })
  t.equal(res.statusCode, 201)
  t.strictSame(res.json(), { id: res.json().id, client_id: 'backend', audience: EC, scope: ['read:ec'] })
  const token = await ccFor(app, EC)
  t.equal(token.statusCode, 200)
  t.equal(token.json().scope, 'read:ec')
})

t.test('POST /client-grants for the Management API, and its errors', async (t) => {
  const { app, api } = await buildManagementServer(t)
  t.equal((await api.post('/client-grants', { client_id: 'backend', audience: MANAGEMENT_AUDIENCE, scope: ['read:clients'] })).statusCode, 201)
  const token = (await ccFor(app, MANAGEMENT_AUDIENCE)).json().access_token
  t.equal((await managementApi(app, token).get('/clients')).statusCode, 200)

  t.strictSame(
    answer(await api.post('/client-grants', { client_id: 'backend', audience: 'appointments:api', scope: [] })),
    auth0Error(409, 'Conflict', 'A client grant for this client and audience already exists', 'client_grant_conflict'),
  )
  t.strictSame(
    answer(await api.post('/client-grants', { client_id: 'nope', audience: EC, scope: [] })),
    auth0Error(404, 'Not Found', 'The client does not exist', 'inexistent_client'),
  )
  t.strictSame(
    answer(await api.post('/client-grants', { client_id: 'backend', audience: 'nope', scope: [] })),
    auth0Error(404, 'Not Found', 'The resource server does not exist', 'inexistent_resource_server'),
  )
  t.strictSame(
    answer(await api.post('/client-grants', { client_id: 'backend', audience: EC, scope: ['read:ec', 'write:ec'] })),
    auth0Error(400, 'Bad Request', `scopes not defined by ${EC}: write:ec`, 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post('/client-grants', { client_id: 'backend', audience: EC })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Missing required property: scope'.", 'invalid_body'),
  )
})

t.test('PATCH /client-grants/{id}: the next token carries the new scopes', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const [grant] = (await api.get('/client-grants', { client_id: 'backend' })).json()
  const res = await api.patch(`/client-grants/${grant.id}`, { scope: ['read:appointments', 'write:appointments'] })
  t.equal(res.statusCode, 200)
  t.strictSame(res.json().scope, ['read:appointments', 'write:appointments'])
  t.equal((await ccFor(app, 'appointments:api')).json().scope, 'read:appointments write:appointments')
  t.strictSame(
    answer(await api.patch(`/client-grants/${grant.id}`, { audience: 'x' })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Additional properties not allowed: audience'.", 'invalid_body'),
  )
})

t.test('DELETE /client-grants/{id}: the next token request is refused', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const [grant] = (await api.get('/client-grants', { client_id: 'backend' })).json()
  t.strictSame(answer(await api.delete(`/client-grants/${grant.id}`)), { status: 204, body: undefined })
  t.equal((await ccFor(app, 'appointments:api')).statusCode, 403)
  const missing = auth0Error(404, 'Not Found', 'The client grant does not exist', 'inexistent_client_grant')
  t.strictSame(answer(await api.delete(`/client-grants/${grant.id}`)), missing)
  t.strictSame(answer(await api.patch('/client-grants/cgr_nope', { scope: [] })), missing)
  t.strictSame(answer(await api.delete('/client-grants/nope')), missing)
})
