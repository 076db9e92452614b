// GET /_gatehouse/events: the protocol's decisions in order, filtered, and long-polled.
import t from 'tap'
import { createEventLog } from '../../src/events/event-log.js'
import { fakeClock, NOW, signIn } from '../helpers/server.js'
import { BACKEND_BASIC, IMPLICIT, postToken } from '../helpers/tokens.js'
import { managementApi, managementTenant, managementToken, userPath } from '../management/helpers.js'
import { answer, buildControlledServer } from './helpers.js'

type Event = { id: number; type: string; client_id?: string; user_id?: string; summary: string }
const types = (events: Event[]) => events.map((e) => e.type)

t.test('a flow’s events in order, numbered, with a cursor to go on from', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const { cookie } = await signIn(app, IMPLICIT)
  const all = (await controls.get('events')).json()
  t.strictSame(types(all.events), ['authorize.interaction', 'login.succeeded', 'authorize.interaction', 'consent.allowed', 'authorize.issued'])
  t.strictSame(all.events.map((e: Event) => e.id), [1, 2, 3, 4, 5])
  t.equal(all.next_since, 5)
  t.strictSame(all.events[1], {
    id: 2,
    type: 'login.succeeded',
    at: new Date(NOW).toISOString(),
    client_id: 'organizer',
    user_id: 'auth0|alice',
    state: 's',
    summary: 'auth0|alice signed in: a session starts, and its cookie is set',
    detail: 'signed in with a password',
  })
  await app.inject({ url: '/v2/logout?client_id=organizer', headers: { cookie } })
  const after = (await controls.get('events', { since: String(all.next_since) })).json()
  t.strictSame(after.events.map((e: Event) => [e.id, e.type, e.client_id, e.user_id, e.summary]), [
    [6, 'logout', 'organizer', 'auth0|alice', 'auth0|alice signed out: the session ended'],
  ])
  t.equal(after.next_since, 6)
  t.strictSame((await controls.get('events', { since: '6' })).json(), { events: [], next_since: 6 })
})

t.test('filters by type (a kind or its group), client and user; limit; the cursor skips what did not match', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await signIn(app, IMPLICIT)
  await signIn(app, { ...IMPLICIT, client_id: 'first-party' }, { username: 'bob', password: 'builder' })
  await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC })
  const get = async (query: Record<string, string>) => (await controls.get('events', query)).json()
  t.strictSame(types((await get({ type: 'login' })).events), ['login.succeeded', 'login.succeeded'])
  t.strictSame(types((await get({ type: 'token.issued,consent' })).events), ['consent.allowed', 'token.issued'])
  t.strictSame(
    (await get({ user_id: 'auth0|bob' })).events.map((e: Event) => e.type),
    ['login.succeeded', 'authorize.issued'],
  )
  t.strictSame(types((await get({ client_id: 'backend' })).events), ['token.issued'])
  const limited = await get({ limit: '2' })
  t.equal(limited.events.length, 2)
  t.equal(limited.next_since, 2, 'cut short: go on after the last one given')
  const skipped = await get({ type: 'logout' })
  t.strictSame(skipped.events, [])
  t.equal(skipped.next_since, 9, 'nothing matched: go on after the newest')
})

t.test('wait: answers as soon as a matching event arrives, or with none at the deadline', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const waiting = controls.get('events', { type: 'token', wait: '10000' })
  await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC })
  const res = await waiting
  t.equal(res.statusCode, 200)
  t.strictSame(types(res.json().events), ['token.issued'])
  const quiet = await controls.get('events', { type: 'logout', wait: '20' })
  t.strictSame(quiet.json(), { events: [], next_since: 1 })
})

t.test('waiting readers are bounded: one too many gets 429', async (t) => {
  const events = createEventLog({ clock: fakeClock(), maxWaiters: 1 })
  const { controls } = await buildControlledServer(t, {}, { events })
  const both = [controls.get('events', { wait: '10000' }), controls.get('events', { wait: '10000' })]
  const refused = await Promise.race(both)
  t.strictSame(answer(refused), { status: 429, body: { error: 'too_many_requests', error_description: '1 readers are already waiting for events' } })
  t.equal(refused.headers['retry-after'], '1')
  events.record({ kind: 'logout', summary: 'release' })
  t.strictSame((await Promise.all(both)).map((r) => r.statusCode).sort(), [200, 429])
})

t.test('Management API changes are recorded, with the caller and the user', async (t) => {
  const { app, controls } = await buildControlledServer(t, { tenant: managementTenant() })
  const api = managementApi(app, await managementToken(app))
  t.equal((await api.post('/users', { connection: 'Username-Password-Authentication', email: 'carol@example.com', password: 'x-Secret-1234' })).statusCode, 201)
  t.equal((await api.patch(userPath('auth0|alice'), { name: 'Alice L.' })).statusCode, 200)
  t.equal((await api.get('/users')).statusCode, 200)
  t.equal((await api.patch(userPath('auth0|nobody'), { name: 'x' })).statusCode, 404)
  const { events } = (await controls.get('events', { type: 'management' })).json()
  t.strictSame(events.map((e: Event) => [e.client_id, e.user_id ?? null, e.summary]), [
    ['manager', null, 'Management API: POST /users answered 201'],
    ['manager', 'auth0|alice', 'Management API: PATCH /users/auth0%7Calice answered 200'],
  ])
})

t.test('malformed queries: 400 naming the parameter', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const cases: [Record<string, string>, string, string][] = [
    [{ since: '-1' }, 'since', 'since must be a whole number from 0 to 9007199254740991'],
    [{ wait: '60000' }, 'wait', 'wait must be a whole number from 0 to 30000'],
    [{ limit: '0' }, 'limit', 'limit must be a whole number from 1 to 1000'],
    [{ type: 'token.minted' }, 'type', /^type "token.minted" is not an event type/ as unknown as string],
    [{ client: 'x' }, 'client', 'client is not a known field (known: since, type, client_id, user_id, wait, limit)'],
  ]
  for (const [query, field, description] of cases) {
    const res = await controls.get('events', query)
    t.equal(res.statusCode, 400, JSON.stringify(query))
    t.match(res.json(), { error: 'invalid_request', error_description: description, field })
  }
  const twice = await app.inject({ url: '/_gatehouse/events?client_id=a&client_id=b' })
  t.strictSame(answer(twice), { status: 400, body: { error: 'invalid_request', error_description: 'client_id must be given once, 1 to 256 characters', field: 'client_id' } })
})

t.test('closing the server answers waiting readers at once', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const waiting = controls.get('events', { type: 'logout', wait: '30000' })
  // let the request reach its handler before closing
  await controls.get('clock')
  await app.close()
  const res = await waiting
  t.strictSame(answer(res), { status: 200, body: { events: [], next_since: 0 } })
})
