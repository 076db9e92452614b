// /api/v2/resource-servers: enforce_policies and token_dialect (Auth0's RBAC settings of an API), and
// permissions that go with the scopes and APIs they name.
import t from 'tap'
import { answer, auth0Error, buildManagementServer } from './helpers.js'

const APPOINTMENTS_ID = Buffer.from('appointments:api').toString('base64url')
const appointments = (permission_name: string) => ({ resource_server_identifier: 'appointments:api', permission_name })

t.test('enforce_policies and token_dialect: defaults, set on create, changed by PATCH, checked', async (t) => {
  const { api } = await buildManagementServer(t)
  const plain = (await api.get(`/resource-servers/${APPOINTMENTS_ID}`)).json()
  t.strictSame([plain.enforce_policies, plain.token_dialect], [false, 'access_token'])
  const system = (await api.get('/resource-servers/management-api')).json()
  t.strictSame([system.enforce_policies, system.token_dialect], [false, 'access_token'])

  const created = await api.post('/resource-servers', { identifier: 'https://rbac.example.com/', enforce_policies: true, token_dialect: 'rfc9068_profile_authz' })
  t.equal(created.statusCode, 201)
  t.strictSame([created.json().enforce_policies, created.json().token_dialect], [true, 'rfc9068_profile_authz'])

  const patched = (await api.patch(`/resource-servers/${APPOINTMENTS_ID}`, { enforce_policies: true, token_dialect: 'access_token_authz' })).json()
  t.strictSame([patched.enforce_policies, patched.token_dialect], [true, 'access_token_authz'])
  const again = (await api.get(`/resource-servers/${APPOINTMENTS_ID}`)).json()
  t.strictSame([again.enforce_policies, again.token_dialect], [true, 'access_token_authz'], 'kept')
  const listed = (await api.get('/resource-servers', { identifiers: 'https://rbac.example.com/' })).json()[0]
  t.strictSame([listed.enforce_policies, listed.token_dialect], [true, 'rfc9068_profile_authz'])

  t.strictSame(
    answer(await api.patch(`/resource-servers/${APPOINTMENTS_ID}`, { token_dialect: 'jwt' })),
    auth0Error(400, 'Bad Request', 'Payload validation error: \'No enum match for: "jwt"\' on property token_dialect.', 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post('/resource-servers', { identifier: 'https://x.example.com/', enforce_policies: 'yes' })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Expected type boolean but found type string' on property enforce_policies.", 'invalid_body'),
  )
})

t.test('a scope an API no longer defines, or a deleted API, is no longer anyone\'s permission', async (t) => {
  const { api, store } = await buildManagementServer(t)
  const role = (await api.post('/roles', { name: 'editor' })).json()
  await api.post(`/roles/${role.id}/permissions`, { permissions: [appointments('read:appointments'), appointments('write:appointments')] })
  await api.post('/users/auth0%7Calice/permissions', {
    permissions: [appointments('write:appointments'), { resource_server_identifier: 'https://ec.example.com/', permission_name: 'read:ec' }],
  })

  await api.patch(`/resource-servers/${APPOINTMENTS_ID}`, { scopes: [{ value: 'read:appointments' }, { value: 'cancel:appointments' }] })
  t.strictSame((await api.get(`/roles/${role.id}/permissions`)).json().map((p: { permission_name: string }) => p.permission_name), ['read:appointments'])
  t.strictSame((await store.list<{ permission_name: string }>('user_permission')).map((p) => p.permission_name), ['read:ec'])

  t.equal((await api.delete(`/resource-servers/${APPOINTMENTS_ID}`)).statusCode, 204)
  t.strictSame((await api.get(`/roles/${role.id}/permissions`)).json(), [])
  t.strictSame((await store.list<{ permission_name: string }>('user_permission')).map((p) => p.permission_name), ['read:ec'], 'other APIs\' stay')
})
