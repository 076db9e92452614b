// /api/v2/roles: roles, their permissions and their users, in Auth0's shapes, status codes and paging.
import t from 'tap'
import { answer, auth0Error, buildManagementServer, managementToken, READER, READER_SECRET, userPath } from './helpers.js'
import { jsonRequest } from './json-request.js'

const ROLE_ID = /^rol_[A-Za-z0-9]{16}$/
const noRole = auth0Error(404, 'Not Found', 'The role does not exist.')
const read = (name: string) => ({ resource_server_identifier: 'appointments:api', permission_name: name })

t.test('POST /roles: 200 with the new role; names are unique; bodies are checked', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.post('/roles', { name: 'editor', description: 'Edits things' })
  t.equal(res.statusCode, 200)
  const role = res.json()
  t.match(role.id, ROLE_ID)
  t.strictSame(role, { id: role.id, name: 'editor', description: 'Edits things' })
  t.strictSame((await api.post('/roles', { name: 'viewer' })).json(), { id: (await api.get('/roles', { name_filter: 'viewer' })).json()[0].id, name: 'viewer' })

  t.strictSame(answer(await api.post('/roles', { name: 'editor' })), auth0Error(409, 'Conflict', 'A role with the same name already exists', 'role_conflict'))
  t.strictSame(
    answer(await api.post('/roles', { description: 'x' })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Missing required property: name'.", 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post('/roles', { name: 'x', permissions: [] })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Additional properties not allowed: permissions'.", 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post('/roles', { name: '' })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'String is too short (0 chars), minimum 1' on property name.", 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post('/roles', { name: 7 })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Expected type string but found type integer' on property name.", 'invalid_body'),
  )
})

t.test('GET /roles and /roles/{id}: id order, pages, totals without length, name_filter', async (t) => {
  const { api } = await buildManagementServer(t)
  const made = []
  for (const name of ['Admin', 'editor', 'viewer']) made.push((await api.post('/roles', { name })).json())
  const byId = [...made].sort((a, b) => (a.id < b.id ? -1 : 1))

  t.strictSame((await api.get('/roles')).json(), byId)
  t.strictSame((await api.get('/roles', { per_page: 2, page: 1, include_totals: true })).json(), {
    start: 2,
    limit: 2,
    total: 3,
    roles: byId.slice(2),
  })
  t.strictSame(
    (await api.get('/roles', { name_filter: 'ADMIN', include_totals: true })).json(),
    { start: 0, limit: 50, total: 1, roles: [made[0]] },
    'name_filter ignores case',
  )
  t.strictSame(
    (await api.get('/roles', { name_filter: 'i' })).json().map((r: { name: string }) => r.name).sort(),
    ['Admin', 'editor', 'viewer'],
    'and matches part of a name',
  )
  t.strictSame((await api.get(`/roles/${made[1].id}`)).json(), made[1])
  t.strictSame(answer(await api.get('/roles/rol_0000000000000000')), noRole)
  t.strictSame(
    answer(await api.get('/roles', { per_page: 101 })),
    auth0Error(400, 'Bad Request', "Query validation error: 'Value 101 is greater than maximum 100' on property per_page.", 'invalid_query_string'),
  )
  t.strictSame(
    answer(await api.get('/roles', { sort: 'name:1' })),
    auth0Error(400, 'Bad Request', "Query validation error: 'Additional properties not allowed: sort'.", 'invalid_query_string'),
  )
})

t.test('PATCH /roles/{id}: name and description; a taken name is 409; the old name is free again', async (t) => {
  const { api } = await buildManagementServer(t)
  const editor = (await api.post('/roles', { name: 'editor' })).json()
  await api.post('/roles', { name: 'viewer' })
  const renamed = await api.patch(`/roles/${editor.id}`, { name: 'writer', description: 'Writes' })
  t.equal(renamed.statusCode, 200)
  t.strictSame(renamed.json(), { id: editor.id, name: 'writer', description: 'Writes' })
  t.strictSame((await api.get(`/roles/${editor.id}`)).json(), { id: editor.id, name: 'writer', description: 'Writes' })
  t.strictSame(answer(await api.patch(`/roles/${editor.id}`, { name: 'viewer' })), auth0Error(409, 'Conflict', 'A role with the same name already exists', 'role_conflict'))
  t.equal((await api.post('/roles', { name: 'editor' })).statusCode, 200, 'the old name can be used again')
  t.equal((await api.patch(`/roles/${editor.id}`, { name: 'writer' })).statusCode, 200, 'keeping its own name is no conflict')
  t.strictSame(answer(await api.patch('/roles/rol_0000000000000000', { name: 'x' })), noRole)
  t.strictSame(
    answer(await api.patch(`/roles/${editor.id}`, { id: 'rol_x' })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Additional properties not allowed: id'.", 'invalid_body'),
  )
})

t.test('DELETE /roles/{id}: 200 {}; the role is gone, and with it its permissions and its place in users\' roles', async (t) => {
  const { app, api, token, store } = await buildManagementServer(t)
  const role = (await api.post('/roles', { name: 'editor' })).json()
  t.equal((await api.post(`/roles/${role.id}/permissions`, { permissions: [read('read:appointments')] })).statusCode, 201)
  t.equal((await api.post(`/roles/${role.id}/users`, { users: ['auth0|alice'] })).statusCode, 200)

  t.strictSame(answer(await api.delete(`/roles/${role.id}`)), { status: 200, body: {} })
  t.strictSame(answer(await api.get(`/roles/${role.id}`)), noRole)
  t.strictSame(answer(await api.delete(`/roles/${role.id}`)), noRole)
  t.strictSame((await api.get(`${userPath('auth0|alice')}/roles`)).json(), [])
  t.strictSame(await store.list('role_permission'), [])
  t.strictSame(await store.list('user_role'), [])
  t.strictSame(await store.list('role_user'), [])
  t.equal((await api.post('/roles', { name: 'editor' })).statusCode, 200, 'its name is free')
  t.strictSame(answer(await jsonRequest(app, token, 'POST', userPath('auth0|alice') + '/roles', { roles: [role.id] })), noRole)
})

t.test('/roles/{id}/permissions: add (201 {}), list in Auth0\'s shape, remove (204)', async (t) => {
  const { app, api, token } = await buildManagementServer(t)
  const role = (await api.post('/roles', { name: 'editor' })).json()
  const path = `/roles/${role.id}/permissions`
  const added = await api.post(path, {
    permissions: [read('write:appointments'), read('read:appointments'), { resource_server_identifier: 'https://ec.example.com/', permission_name: 'read:ec' }],
  })
  t.strictSame(answer(added), { status: 201, body: {} })
  t.equal((await api.post(path, { permissions: [read('read:appointments')] })).statusCode, 201, 'adding one again changes nothing')

  const appointments = (permission_name: string, description: string) => ({
    permission_name,
    description,
    resource_server_name: 'Appointments API',
    resource_server_identifier: 'appointments:api',
  })
  const all = [
    appointments('read:appointments', 'Read your appointments'),
    appointments('write:appointments', 'Book and cancel <appointments>'),
    { permission_name: 'read:ec', description: 'Read EC things', resource_server_name: 'EC API', resource_server_identifier: 'https://ec.example.com/' },
  ]
  t.strictSame((await api.get(path)).json(), all)
  t.strictSame((await api.get(path, { per_page: 1, page: 1, include_totals: true })).json(), { start: 1, limit: 1, total: 3, permissions: [all[1]] })

  t.strictSame(answer(await jsonRequest(app, token, 'DELETE', path, { permissions: [read('write:appointments'), read('read:appointments')] })), {
    status: 204,
    body: undefined,
  })
  t.strictSame((await api.get(path)).json(), [all[2]])
})

t.test('/roles/{id}/permissions: only scopes of the tenant\'s APIs; bodies checked; unknown roles 404', async (t) => {
  const { app, api, token } = await buildManagementServer(t)
  const role = (await api.post('/roles', { name: 'editor' })).json()
  const path = `/roles/${role.id}/permissions`
  t.strictSame(
    answer(await api.post(path, { permissions: [{ resource_server_identifier: 'https://nope.example.com/', permission_name: 'x' }] })),
    auth0Error(400, 'Bad Request', 'The resource server does not exist: https://nope.example.com/', 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post(path, { permissions: [read('read:appointments'), read('fly'), read('swim')] })),
    auth0Error(400, 'Bad Request', 'permissions not defined by appointments:api: fly, swim', 'invalid_body'),
  )
  t.strictSame((await api.get(path)).json(), [], 'nothing was added')
  t.strictSame(
    answer(await api.post(path, { permissions: [] })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Array is too short (0), minimum 1' on property permissions.", 'invalid_body'),
  )
  t.strictSame(
    answer(await api.post(path, { permissions: [{ permission_name: 'read:appointments' }] })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Missing required property: resource_server_identifier' on property permissions[0].", 'invalid_body'),
  )
  t.strictSame(
    answer(await jsonRequest(app, token, 'DELETE', path, {})),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Missing required property: permissions'.", 'invalid_body'),
  )
  t.strictSame(answer(await api.get('/roles/rol_0000000000000000/permissions')), noRole)
  t.strictSame(answer(await api.post('/roles/rol_0000000000000000/permissions', { permissions: [read('read:appointments')] })), noRole)
})

t.test('/roles/{id}/users: assign (200 {}), list in pages or from checkpoints', async (t) => {
  const { api } = await buildManagementServer(t)
  const role = (await api.post('/roles', { name: 'editor' })).json()
  const carol = (await api.post('/users', { connection: 'Username-Password-Authentication', email: 'carol@example.com', password: 'pw', user_id: 'carol' })).json()
  const path = `/roles/${role.id}/users`
  t.strictSame(answer(await api.post(path, { users: ['auth0|bob', 'auth0|alice', carol.user_id, 'auth0|alice'] })), { status: 200, body: {} })

  const alice = { user_id: 'auth0|alice', email: 'alice@example.com', name: 'Alice Liddell' }
  const bob = { user_id: 'auth0|bob', email: 'bob@example.com', name: 'Bob' }
  const carolView = { user_id: 'auth0|carol', email: 'carol@example.com', picture: carol.picture, name: 'carol@example.com' }
  t.strictSame((await api.get(path)).json(), [alice, bob, carolView])
  t.strictSame((await api.get(path, { per_page: 2, page: 1, include_totals: true })).json(), { start: 2, limit: 2, total: 3, users: [carolView] })

  const first = (await api.get(path, { take: 2, include_totals: true })).json()
  t.strictSame(first.users, [alice, bob])
  t.type(first.next, 'string')
  t.strictSame((await api.get(path, { take: 2, from: first.next })).json(), { users: [carolView] }, 'the last page has no next')
  t.strictSame(
    answer(await api.get(path, { from: 'garbage' })),
    auth0Error(
      400,
      'Bad Request',
      "Query validation error: 'Invalid checkpoint: use the next value of the previous page' on property from.",
      'invalid_query_string',
    ),
  )
  t.strictSame((await api.get(`${userPath('auth0|bob')}/roles`)).json(), [{ id: role.id, name: 'editor' }], 'the user side shows it too')
})

t.test('/roles/{id}/users: every user must exist; unknown roles 404', async (t) => {
  const { api } = await buildManagementServer(t)
  const role = (await api.post('/roles', { name: 'editor' })).json()
  t.strictSame(
    answer(await api.post(`/roles/${role.id}/users`, { users: ['auth0|alice', 'auth0|nobody'] })),
    auth0Error(404, 'Not Found', 'The user does not exist.', 'inexistent_user'),
  )
  t.strictSame((await api.get(`/roles/${role.id}/users`)).json(), [], 'no one was given the role')
  t.strictSame(
    answer(await api.post(`/roles/${role.id}/users`, { users: [] })),
    auth0Error(400, 'Bad Request', "Payload validation error: 'Array is too short (0), minimum 1' on property users.", 'invalid_body'),
  )
  t.strictSame(answer(await api.get('/roles/rol_0000000000000000/users')), noRole)
  t.strictSame(answer(await api.post('/roles/rol_0000000000000000/users', { users: ['auth0|alice'] })), noRole)
})

t.test('role endpoints need Auth0\'s scopes', async (t) => {
  const { app } = await buildManagementServer(t)
  const reader = await managementToken(app, READER, READER_SECRET)
  const as = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string) =>
    app.inject({ method, url: `/api/v2${url}`, headers: { authorization: `Bearer ${reader}` } }).then(answer)
  const needs = (message: string) => auth0Error(403, 'Forbidden', message, 'insufficient_scope')
  t.strictSame(await as('GET', '/roles'), needs('Insufficient scope, expected any of: read:roles'))
  t.strictSame(await as('POST', '/roles'), needs('Insufficient scope, expected any of: create:roles'))
  t.strictSame(await as('GET', '/roles/r'), needs('Insufficient scope, expected any of: read:roles'))
  t.strictSame(await as('GET', '/roles/r/permissions'), needs('Insufficient scope, expected any of: read:roles'))
  t.strictSame(await as('DELETE', '/roles/r/permissions'), needs('Insufficient scope, expected any of: update:roles'))
  t.strictSame(await as('PATCH', '/roles/r'), needs('Insufficient scope, expected any of: update:roles'))
  t.strictSame(await as('DELETE', '/roles/r'), needs('Insufficient scope, expected any of: delete:roles'))
  t.strictSame(await as('POST', '/roles/r/permissions'), needs('Insufficient scope, expected any of: update:roles'))
  t.strictSame(await as('GET', '/roles/r/users'), needs('Insufficient scope, expected all of: read:users,read:roles'))
  t.strictSame(await as('POST', '/roles/r/users'), needs('Insufficient scope, expected any of: update:roles'))
  const anonymous = await app.inject({ url: '/api/v2/roles' })
  t.strictSame(answer(anonymous), auth0Error(401, 'Unauthorized', 'Missing authentication'))
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
})
