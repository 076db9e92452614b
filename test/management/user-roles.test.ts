// /api/v2/users/{id}/roles and /users/{id}/permissions; deleting a user takes all that was theirs.
import t from 'tap'
import { CONSENT_REQUEST, signIn } from '../helpers/server.js'
import { answer, auth0Error, buildManagementServer, managementToken, READER, READER_SECRET, userPath } from './helpers.js'
import { jsonRequest } from './json-request.js'

const ALICE = userPath('auth0|alice')
const noUser = auth0Error(404, 'Not Found', 'The user does not exist.', 'inexistent_user')
const noRole = auth0Error(404, 'Not Found', 'The role does not exist.')
const appointments = (permission_name: string) => ({ resource_server_identifier: 'appointments:api', permission_name })

t.test('/users/{id}/roles: assign (204), list, remove (204)', async (t) => {
  const { app, api, token } = await buildManagementServer(t)
  const editor = (await api.post('/roles', { name: 'editor', description: 'Edits' })).json()
  const viewer = (await api.post('/roles', { name: 'viewer' })).json()
  const assigned = await jsonRequest(app, token, 'POST', `${ALICE}/roles`, { roles: [viewer.id, editor.id] })
  t.strictSame(answer(assigned), { status: 204, body: undefined })
  const both = [editor, viewer].sort((a, b) => (a.id < b.id ? -1 : 1))
  t.strictSame((await api.get(`${ALICE}/roles`)).json(), both)
  t.strictSame((await api.get(`${ALICE}/roles`, { per_page: 1, include_totals: true })).json(), { start: 0, limit: 1, total: 2, roles: [both[0]] })
  t.strictSame((await api.get(`/roles/${viewer.id}/users`)).json().map((u: { user_id: string }) => u.user_id), ['auth0|alice'])

  t.strictSame(answer(await jsonRequest(app, token, 'DELETE', `${ALICE}/roles`, { roles: [viewer.id, 'rol_notassigned00000'] })), {
    status: 204,
    body: undefined,
  })
  t.strictSame((await api.get(`${ALICE}/roles`)).json(), [editor])
  t.strictSame((await api.get(`/roles/${viewer.id}/users`)).json(), [], 'the role side forgets the user too')
})

t.test('/users/{id}/roles: unknown users and roles are 404; nothing is assigned then', async (t) => {
  const { app, api, token } = await buildManagementServer(t)
  const editor = (await api.post('/roles', { name: 'editor' })).json()
  t.strictSame(answer(await jsonRequest(app, token, 'POST', `${ALICE}/roles`, { roles: [editor.id, 'rol_0000000000000000'] })), noRole)
  t.strictSame((await api.get(`${ALICE}/roles`)).json(), [])
  t.strictSame(answer(await jsonRequest(app, token, 'POST', `${userPath('auth0|nobody')}/roles`, { roles: [editor.id] })), noUser)
  t.strictSame(answer(await jsonRequest(app, token, 'DELETE', `${userPath('auth0|nobody')}/roles`, { roles: [editor.id] })), noUser)
  t.strictSame(answer(await api.get(`${userPath('auth0|nobody')}/roles`)), noUser)
  t.strictSame(
    answer(await jsonRequest(app, token, 'POST', `${ALICE}/roles`, { roles: 'editor' })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Expected type array but found type string' on property roles.", 'invalid_body'),
  )
})

t.test('/users/{id}/permissions: direct ones (201, 204) and those of the user\'s roles, with their sources', async (t) => {
  const { app, api, token } = await buildManagementServer(t)
  const editor = (await api.post('/roles', { name: 'editor' })).json()
  await api.post(`/roles/${editor.id}/permissions`, { permissions: [appointments('write:appointments'), appointments('read:appointments')] })
  await jsonRequest(app, token, 'POST', `${ALICE}/roles`, { roles: [editor.id] })
  const added = await api.post(`${ALICE}/permissions`, {
    permissions: [appointments('read:appointments'), { resource_server_identifier: 'https://ec.example.com/', permission_name: 'read:ec' }],
  })
  t.strictSame(answer(added), { status: 201, body: {} })

  const direct = { source_id: '', source_name: '', source_type: 'DIRECT' }
  const viaEditor = { source_id: editor.id, source_name: 'editor', source_type: 'ROLE' }
  const all = [
    {
      permission_name: 'read:appointments',
      description: 'Read your appointments',
      resource_server_name: 'Appointments API',
      resource_server_identifier: 'appointments:api',
      sources: [direct, viaEditor],
    },
    {
      permission_name: 'write:appointments',
      description: 'Book and cancel <appointments>',
      resource_server_name: 'Appointments API',
      resource_server_identifier: 'appointments:api',
      sources: [viaEditor],
    },
    {
      permission_name: 'read:ec',
      description: 'Read EC things',
      resource_server_name: 'EC API',
      resource_server_identifier: 'https://ec.example.com/',
      sources: [direct],
    },
  ]
  t.strictSame((await api.get(`${ALICE}/permissions`)).json(), all)
  t.strictSame((await api.get(`${ALICE}/permissions`, { page: 1, per_page: 2, include_totals: true })).json(), {
    start: 2,
    limit: 2,
    total: 3,
    permissions: [all[2]],
  })

  const removed = await jsonRequest(app, token, 'DELETE', `${ALICE}/permissions`, { permissions: [appointments('read:appointments'), appointments('write:appointments')] })
  t.strictSame(answer(removed), { status: 204, body: undefined })
  t.strictSame(
    (await api.get(`${ALICE}/permissions`)).json(),
    [
      { ...all[0], sources: [viaEditor] },
      { ...all[1], sources: [viaEditor] },
      all[2],
    ],
    'what the role gives stays',
  )
})

t.test('/users/{id}/permissions: scopes of the tenant\'s APIs only; unknown users 404', async (t) => {
  const { app, api, token } = await buildManagementServer(t)
  t.strictSame(
    answer(await api.post(`${ALICE}/permissions`, { permissions: [appointments('read:everything')] })),
    auth0Error(400, 'Bad Request', 'permissions not defined by appointments:api: read:everything', 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post(`${ALICE}/permissions`, { permissions: [{ resource_server_identifier: 'http://gatehouse.test/api/v2/', permission_name: 'read:users' }] })),
    auth0Error(400, 'Bad Request', 'The resource server does not exist: http://gatehouse.test/api/v2/', 'invalid_body'),
  )
  t.strictSame((await api.get(`${ALICE}/permissions`)).json(), [])
  t.strictSame(answer(await api.get(`${userPath('auth0|nobody')}/permissions`)), noUser)
  t.strictSame(answer(await api.post(`${userPath('auth0|nobody')}/permissions`, { permissions: [appointments('read:appointments')] })), noUser)
  t.strictSame(answer(await jsonRequest(app, token, 'DELETE', `${userPath('auth0|nobody')}/permissions`, { permissions: [appointments('read:appointments')] })), noUser)
  t.strictSame(
    answer(await api.post(`${ALICE}/permissions`, { permissions: [{ ...appointments('read:appointments'), sources: [] }] })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Additional properties not allowed: sources' on property permissions[0].", 'invalid_body'),
  )
})

t.test('user roles and permissions need Auth0\'s scopes: reading roles takes read:users and read:roles', async (t) => {
  const { app } = await buildManagementServer(t)
  const reader = await managementToken(app, READER, READER_SECRET)
  const as = (method: 'GET' | 'POST' | 'DELETE', url: string) =>
    app.inject({ method, url: `/api/v2${url}`, headers: { authorization: `Bearer ${reader}` } }).then(answer)
  const needs = (message: string) => auth0Error(403, 'Forbidden', message, 'insufficient_scope')
  t.strictSame(await as('GET', `${ALICE}/roles`), needs('Insufficient scope, expected all of: read:users,read:roles'))
  t.strictSame(await as('POST', `${ALICE}/roles`), needs('Insufficient scope, expected any of: update:users'))
  t.strictSame(await as('DELETE', `${ALICE}/roles`), needs('Insufficient scope, expected any of: update:users'))
  t.strictSame(await as('POST', `${ALICE}/permissions`), needs('Insufficient scope, expected any of: update:users'))
  t.strictSame(await as('DELETE', `${ALICE}/permissions`), needs('Insufficient scope, expected any of: update:users'))
  t.strictSame(await as('GET', `${ALICE}/permissions`), { status: 200, body: [] }, 'read:users reads permissions')
})

t.test('DELETE /users/{id} takes the user\'s roles, direct permissions and consents with them', async (t) => {
  const { app, api, token, store } = await buildManagementServer(t)
  const editor = (await api.post('/roles', { name: 'editor' })).json()
  await jsonRequest(app, token, 'POST', `${ALICE}/roles`, { roles: [editor.id] })
  await jsonRequest(app, token, 'POST', `${userPath('auth0|bob')}/roles`, { roles: [editor.id] })
  await api.post(`${ALICE}/permissions`, { permissions: [appointments('read:appointments')] })
  await signIn(app, CONSENT_REQUEST)
  t.equal((await api.get('/grants', { user_id: 'auth0|alice' })).json().length, 1)

  t.equal((await api.delete(ALICE)).statusCode, 204)
  t.strictSame((await api.get(`/roles/${editor.id}/users`)).json().map((u: { user_id: string }) => u.user_id), ['auth0|bob'])
  t.strictSame(await store.list('user_permission'), [])
  t.strictSame(await store.list('user_role'), [{ user_id: 'auth0|bob', role_id: editor.id }])
  t.strictSame((await api.get('/grants', { user_id: 'auth0|alice' })).json(), [])
  t.strictSame((await api.get(`/roles/${editor.id}`)).json(), editor, 'the role stays')
})
