// /api/v2/users: create, read, update and delete database users in Auth0's shapes and with its errors.
import t from 'tap'
import { findUserByLogin } from '../../src/tenant/users.js'
import { answer, auth0Error, buildManagementServer, userPath } from './helpers.js'

const CONNECTION = 'Username-Password-Authentication'
const NOW_ISO = '2023-11-14T22:13:20.000Z'

const invalidBody = (message: string) => auth0Error(400, 'Bad Request', message, 'invalid_body')

t.test('POST /users creates a database user in Auth0\'s shape; the password is never shown', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.post('/users', {
    connection: CONNECTION,
    email: 'carol@example.com',
    password: 'Secret-123',
    given_name: 'Carol',
    family_name: 'Danvers',
    name: 'Carol Danvers',
    app_metadata: { plan: 'gold' },
    user_metadata: { theme: 'dark' },
  })
  t.equal(res.statusCode, 201)
  const user = res.json()
  t.match(user.user_id, /^auth0\|[0-9a-f]{24}$/)
  t.strictSame(user, {
    user_id: user.user_id,
    email: 'carol@example.com',
    email_verified: false,
    name: 'Carol Danvers',
    given_name: 'Carol',
    family_name: 'Danvers',
    nickname: 'carol',
    picture: user.picture,
    created_at: NOW_ISO,
    updated_at: NOW_ISO,
    identities: [{ connection: CONNECTION, provider: 'auth0', user_id: user.user_id.slice('auth0|'.length), isSocial: false }],
    app_metadata: { plan: 'gold' },
    user_metadata: { theme: 'dark' },
  })
  t.match(user.picture, /^https:\/\/s\.gravatar\.com\/avatar\/[0-9a-f]{32}\?s=480&r=pg&d=https%3A%2F%2Fcdn\.auth0\.com%2Favatars%2Fca\.png$/)
  t.notMatch(res.body, /Secret-123/, 'no password anywhere in the answer')

  const read = await api.get(userPath(user.user_id))
  t.strictSame(answer(read), { status: 200, body: user }, 'GET shows the same user')
  t.notMatch(read.body, /password/)
})

t.test('POST /users with user_id, username, blocked and email_verified', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.post('/users', {
    connection: CONNECTION,
    user_id: 'dave-1',
    username: 'dave',
    email: 'Dave@Example.com',
    password: 'x',
    email_verified: true,
    blocked: true,
    verify_email: false,
  })
  t.equal(res.statusCode, 201)
  const user = res.json()
  t.equal(user.user_id, 'auth0|dave-1', 'Auth0 keeps the given id under the provider prefix')
  t.equal(user.username, 'dave')
  t.equal(user.email, 'Dave@Example.com')
  t.equal(user.email_verified, true)
  t.equal(user.blocked, true)
  t.equal(user.name, 'Dave@Example.com', 'name defaults to the email, as at Auth0')
  t.equal(user.nickname, 'Dave')
  t.strictSame(user.identities, [{ connection: CONNECTION, provider: 'auth0', user_id: 'dave-1', isSocial: false }])
})

t.test('a username alone is enough to sign in with', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.post('/users', { connection: CONNECTION, username: 'erin', password: 'x' })
  t.equal(res.statusCode, 201)
  t.equal(res.json().name, 'erin')
  t.equal(res.json().email_verified, false)
})

t.test('duplicates are 409 The user already exists.', async (t) => {
  const { api } = await buildManagementServer(t)
  const exists = auth0Error(409, 'Conflict', 'The user already exists.', 'auth0_idp_error')
  t.strictSame(answer(await api.post('/users', { connection: CONNECTION, email: 'ALICE@example.com', password: 'x' })), exists, 'email, any case')
  t.strictSame(answer(await api.post('/users', { connection: CONNECTION, username: 'Bob', password: 'x' })), exists, 'username, any case')
  t.strictSame(answer(await api.post('/users', { connection: CONNECTION, user_id: 'alice', email: 'new@example.com', password: 'x' })), exists, 'user_id')
  t.equal((await api.post('/users', { connection: CONNECTION, email: 'new@example.com', password: 'x' })).statusCode, 201, 'nothing was claimed by the refusals')
})

t.test('two concurrent creations of one email: one wins', async (t) => {
  const { api } = await buildManagementServer(t)
  const body = { connection: CONNECTION, email: 'race@example.com', password: 'x' }
  const results = await Promise.all([api.post('/users', body), api.post('/users', body), api.post('/users', body)])
  t.strictSame(results.map((r) => r.statusCode).sort(), [201, 409, 409])
  t.equal((await api.get('/users', { q: 'email:"race@example.com"', include_totals: true })).json().total, 1)
})

t.test('payload validation, in Auth0\'s words', async (t) => {
  const { api } = await buildManagementServer(t)
  const cases: [string, unknown, ReturnType<typeof auth0Error>][] = [
    ['connection is required', { email: 'x@example.com', password: 'x' }, invalidBody("Payload validation error: 'Missing required property: connection'.")],
    [
      'unknown properties are refused',
      { connection: CONNECTION, email: 'x@example.com', password: 'x', role: 'admin' },
      invalidBody("Payload validation error: 'Additional properties not allowed: role'."),
    ],
    [
      'types are checked',
      { connection: CONNECTION, email: 'x@example.com', password: 'x', blocked: 'yes' },
      invalidBody("Payload validation error: 'Expected type boolean but found type string' on property blocked."),
    ],
    [
      'email must be an email address',
      { connection: CONNECTION, email: 'not-an-email', password: 'x' },
      invalidBody("Payload validation error: 'Object didn't pass validation for format email: not-an-email' on property email."),
    ],
    [
      'metadata must be an object',
      { connection: CONNECTION, email: 'x@example.com', password: 'x', app_metadata: [1] },
      invalidBody("Payload validation error: 'Expected type object but found type array' on property app_metadata."),
    ],
    ['a database user needs a password', { connection: CONNECTION, email: 'x@example.com' }, invalidBody("Payload validation error: 'Missing required property: password'.")],
    ['and an email or a username', { connection: CONNECTION, password: 'x' }, invalidBody("Payload validation error: 'Missing required property: email'.")],
    [
      'a username cannot look like an email address',
      { connection: CONNECTION, username: 'a@b', password: 'x' },
      invalidBody("Payload validation error: 'String does not match pattern ^[^@\\s]+$: a@b' on property username."),
    ],
    [
      'an unknown connection',
      { connection: 'google-oauth2', email: 'x@example.com', password: 'x' },
      auth0Error(400, 'Bad Request', 'The connection does not exist.', 'inexistent_connection'),
    ],
    ['the body must be an object', [1], invalidBody("Payload validation error: 'Expected type object but found type array'.")],
  ]
  for (const [name, body, expected] of cases) t.strictSame(answer(await api.post('/users', body)), expected, name)
})

t.test('GET, PATCH and DELETE of an unknown user: 404 inexistent_user', async (t) => {
  const { api } = await buildManagementServer(t)
  const missing = auth0Error(404, 'Not Found', 'The user does not exist.', 'inexistent_user')
  t.strictSame(answer(await api.get(userPath('auth0|nobody'))), missing)
  t.strictSame(answer(await api.patch(userPath('auth0|nobody'), { name: 'x' })), missing)
  t.strictSame(answer(await api.delete(userPath('auth0|nobody'))), missing)
})

t.test('GET /users/{id} of a configured user; fields and include_fields', async (t) => {
  const { api } = await buildManagementServer(t)
  const res = await api.get(userPath('auth0|alice'))
  t.strictSame(answer(res), {
    status: 200,
    body: {
      user_id: 'auth0|alice',
      email: 'alice@example.com',
      email_verified: true,
      username: 'alice',
      name: 'Alice Liddell',
      given_name: 'Alice',
      family_name: 'Liddell',
      nickname: 'alice',
      identities: [{ connection: CONNECTION, provider: 'auth0', user_id: 'alice', isSocial: false }],
    },
  })
  t.strictSame((await api.get(userPath('auth0|alice'), { fields: 'user_id,email' })).json(), { user_id: 'auth0|alice', email: 'alice@example.com' })
  t.strictSame(Object.keys((await api.get(userPath('auth0|alice'), { fields: 'identities,name', include_fields: false })).json()), [
    'user_id',
    'email',
    'email_verified',
    'username',
    'given_name',
    'family_name',
    'nickname',
  ])
  t.strictSame(
    answer(await api.get(userPath('auth0|alice'), { fields: 'email', extra: 1 })),
    auth0Error(400, 'Bad Request', "Query validation error: 'Additional properties not allowed: extra'.", 'invalid_query_string'),
  )
})

t.test('PATCH merges metadata shallowly (null deletes a key) and replaces other fields', async (t) => {
  const { api, clock } = await buildManagementServer(t)
  const created = (
    await api.post('/users', {
      connection: CONNECTION,
      email: 'frank@example.com',
      password: 'x',
      given_name: 'Frank',
      app_metadata: { plan: 'gold', roles: ['a'], keep: 1 },
      user_metadata: { theme: 'dark', lang: 'en' },
    })
  ).json()
  clock.advance(60)
  const res = await api.patch(userPath(created.user_id), {
    app_metadata: { plan: null, roles: ['b'], added: { nested: true } },
    user_metadata: { lang: 'fr' },
    given_name: null,
    nickname: 'franky',
    blocked: true,
  })
  t.equal(res.statusCode, 200)
  const user = res.json()
  t.strictSame(user.app_metadata, { roles: ['b'], keep: 1, added: { nested: true } })
  t.strictSame(user.user_metadata, { theme: 'dark', lang: 'fr' })
  t.notOk('given_name' in user, 'null removes a profile field')
  t.equal(user.nickname, 'franky')
  t.equal(user.blocked, true)
  t.equal(user.created_at, NOW_ISO)
  t.equal(user.updated_at, '2023-11-14T22:14:20.000Z')
  t.strictSame((await api.get(userPath(created.user_id))).json(), user, 'stored as answered')

  const cleared = (await api.patch(userPath(created.user_id), { user_metadata: {}, app_metadata: null })).json()
  t.notOk('user_metadata' in cleared, 'an empty object clears user_metadata')
  t.notOk('app_metadata' in cleared, 'null clears app_metadata')
})

t.test('PATCH email: the new address finds the user, the old one no longer does; verification resets', async (t) => {
  const { api, store } = await buildManagementServer(t)
  const res = await api.patch(userPath('auth0|alice'), { email: 'alice@wonderland.example' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().email_verified, false, 'a changed address is unverified unless the request says otherwise')
  t.equal((await findUserByLogin(store, 'alice@wonderland.example'))?.user_id, 'auth0|alice')
  t.equal(await findUserByLogin(store, 'alice@example.com'), undefined)
  const verified = await api.patch(userPath('auth0|alice'), { email: 'alice@elsewhere.example', email_verified: true })
  t.equal(verified.json().email_verified, true)
})

t.test('PATCH to another user\'s email or username: 409, nothing changes', async (t) => {
  const { api } = await buildManagementServer(t)
  const exists = auth0Error(409, 'Conflict', 'The user already exists.', 'auth0_idp_error')
  t.strictSame(answer(await api.patch(userPath('auth0|alice'), { email: 'BOB@example.com' })), exists)
  t.strictSame(answer(await api.patch(userPath('auth0|alice'), { username: 'bob', name: 'changed' })), exists)
  const alice = (await api.get(userPath('auth0|alice'))).json()
  t.equal(alice.email, 'alice@example.com')
  t.equal(alice.name, 'Alice Liddell')
})

t.test('PATCH validation: unknown and read-only properties are refused', async (t) => {
  const { api } = await buildManagementServer(t)
  t.strictSame(
    answer(await api.patch(userPath('auth0|alice'), { user_id: 'other' })),
    invalidBody("Payload validation error: 'Additional properties not allowed: user_id'."),
  )
  t.strictSame(
    answer(await api.patch(userPath('auth0|alice'), { email_verified: 'true' })),
    invalidBody("Payload validation error: 'Expected type boolean but found type string' on property email_verified."),
  )
  t.strictSame(
    answer(await api.patch(userPath('auth0|alice'), { connection: 'other-db' })),
    auth0Error(400, 'Bad Request', 'The connection does not exist.', 'inexistent_connection'),
  )
})

t.test('DELETE /users/{id}: 204, then the user and their look-ups are gone', async (t) => {
  const { api, store } = await buildManagementServer(t)
  const res = await api.delete(userPath('auth0|bob'))
  t.strictSame(answer(res), { status: 204, body: undefined })
  t.equal((await api.get(userPath('auth0|bob'))).statusCode, 404)
  t.equal(await findUserByLogin(store, 'bob'), undefined)
  t.equal(await findUserByLogin(store, 'bob@example.com'), undefined)
  t.equal((await api.post('/users', { connection: CONNECTION, email: 'bob@example.com', password: 'x' })).statusCode, 201, 'the email is free again')
})

t.test('GET /users-by-email: an array, compared without case', async (t) => {
  const { api } = await buildManagementServer(t)
  const found = await api.get('/users-by-email', { email: 'ALICE@example.com' })
  t.equal(found.statusCode, 200)
  t.strictSame(
    found.json().map((u: { user_id: string }) => u.user_id),
    ['auth0|alice'],
  )
  t.strictSame((await api.get('/users-by-email', { email: 'nobody@example.com' })).json(), [])
  t.strictSame((await api.get('/users-by-email', { email: 'alice@example.com', fields: 'email' })).json(), [{ email: 'alice@example.com' }])
  t.strictSame(
    answer(await api.get('/users-by-email')),
    auth0Error(400, 'Bad Request', "Query validation error: 'Missing required property: email'.", 'invalid_query_string'),
  )
})
