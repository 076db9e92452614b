// GET /users: Auth0's paging (page, per_page, include_totals) and the exact-term searches Gatehouse answers.
import t from 'tap'
import { answer, auth0Error, buildManagementServer } from './helpers.js'

const CONNECTION = 'Username-Password-Authentication'

const { api } = await buildManagementServer(t)
// alice and bob are configured; 12 more, user ids auth0|u00 … auth0|u11
for (let i = 0; i < 12; i++) {
  const n = String(i).padStart(2, '0')
  const res = await api.post('/users', { connection: CONNECTION, user_id: `u${n}`, email: `user${n}@example.com`, username: `user${n}`, password: 'x' })
  if (res.statusCode !== 201) throw new Error(res.body)
}
const ALL = ['auth0|alice', 'auth0|bob', ...Array.from({ length: 12 }, (_, i) => `auth0|u${String(i).padStart(2, '0')}`)]

const ids = (users: { user_id: string }[]) => users.map((u) => u.user_id)

t.test('without paging parameters: the first 50, in user_id order, as a plain array', async (t) => {
  const res = await api.get('/users')
  t.equal(res.statusCode, 200)
  t.strictSame(ids(res.json()), ALL)
})

t.test('page and per_page; include_totals wraps the page', async (t) => {
  t.strictSame(ids((await api.get('/users', { page: 1, per_page: 5 })).json()), ALL.slice(5, 10))
  const res = await api.get('/users', { page: 2, per_page: 5, include_totals: true })
  const body = res.json()
  t.strictSame({ ...body, users: ids(body.users) }, { start: 10, limit: 5, length: 4, total: 14, users: ALL.slice(10) })
  const beyond = (await api.get('/users', { page: 9, per_page: 5, include_totals: 'true' })).json()
  t.strictSame({ ...beyond, users: ids(beyond.users) }, { start: 45, limit: 5, length: 0, total: 14, users: [] })
  t.strictSame(ids((await api.get('/users', { include_totals: false, per_page: 3 })).json()), ALL.slice(0, 3), 'include_totals=false: an array')
})

t.test('paging parameters are checked', async (t) => {
  const invalid = (message: string) => auth0Error(400, 'Bad Request', message, 'invalid_query_string')
  t.strictSame(
    answer(await api.get('/users', { per_page: 101 })),
    invalid("Query validation error: 'Value 101 is greater than maximum 100' on property per_page."),
  )
  t.strictSame(answer(await api.get('/users', { page: -1 })), invalid("Query validation error: 'Value -1 is less than minimum 0' on property page."))
  t.strictSame(
    answer(await api.get('/users', { per_page: 'ten' })),
    invalid("Query validation error: 'Expected type integer but found type string' on property per_page."),
  )
  t.strictSame(answer(await api.get('/users', { search_engine: 'v2' })), invalid("Query validation error: 'No enum match for: \"v2\"' on property search_engine."))
  t.strictSame(answer(await api.get('/users', { foo: 'bar' })), invalid("Query validation error: 'Additional properties not allowed: foo'."))
})

t.test('q: exact terms on email, user_id and username', async (t) => {
  const search = async (q: string) => ids((await api.get('/users', { q, search_engine: 'v3' })).json())
  t.strictSame(await search('email:"user03@example.com"'), ['auth0|u03'])
  t.strictSame(await search('email:USER03@example.com'), ['auth0|u03'], 'emails compare without case; quotes are optional')
  t.strictSame(await search('user_id:"auth0|u07"'), ['auth0|u07'])
  t.strictSame(await search('username:"user11"'), ['auth0|u11'])
  t.strictSame(await search('email:"nobody@example.com"'), [])
  t.strictSame(await search('email:"user01@example.com" OR user_id:"auth0|alice" OR username:"user01"'), ['auth0|alice', 'auth0|u01'])
  t.strictSame(await search('email:"user01@example.com" AND username:"user01"'), ['auth0|u01'])
  t.strictSame(await search('email:"user01@example.com" AND username:"user02"'), [])
  const totals = (await api.get('/users', { q: 'email:"user01@example.com" OR username:"user02"', include_totals: true, per_page: 1 })).json()
  t.strictSame({ ...totals, users: ids(totals.users) }, { start: 0, limit: 1, length: 1, total: 2, users: ['auth0|u01'] })
})

t.test('q that Gatehouse cannot answer exactly is refused, not approximated', async (t) => {
  for (const q of ['email:*@example.com', 'name:"Alice"', 'email:"a@example.com" email:"b@example.com"', 'email:"a@example.com" AND email:"b" OR user_id:"c"', '(email:"a")']) {
    const res = await api.get('/users', { q })
    t.equal(res.statusCode, 400, q)
    t.equal(res.json().errorCode, 'invalid_query', q)
    t.match(res.json().message, /^Invalid query: /, q)
  }
})

t.test('connection: every user is in the database connection', async (t) => {
  t.equal((await api.get('/users', { connection: CONNECTION, per_page: 100 })).json().length, ALL.length)
  t.strictSame((await api.get('/users', { connection: 'google-oauth2', include_totals: true })).json(), {
    start: 0,
    limit: 50,
    length: 0,
    total: 0,
    users: [],
  })
})

t.test('fields apply to every listed user; sort only by user_id', async (t) => {
  t.strictSame((await api.get('/users', { per_page: 2, fields: 'user_id' })).json(), [{ user_id: 'auth0|alice' }, { user_id: 'auth0|bob' }])
  t.equal((await api.get('/users', { sort: 'user_id:1', per_page: 1 })).statusCode, 200)
  const sorted = await api.get('/users', { sort: 'created_at:-1' })
  t.equal(sorted.statusCode, 400)
  t.equal(sorted.json().errorCode, 'invalid_query_string')
})
