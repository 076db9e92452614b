// GET <issuer>playground/timeline: one playground flow's decisions from the event log — same origin only,
// and never another client's events.
import t from 'tap'
import { buildTestServer, NOW, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK, ISSUER } from '../helpers/tenant.js'
import { BACKEND_BASIC, postToken } from '../helpers/tokens.js'

const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' }
const PLAYGROUND_CALLBACK = `${ISSUER}playground/callback`
const implicit = (state: string) => ({
  client_id: 'gatehouse-playground',
  redirect_uri: PLAYGROUND_CALLBACK,
  response_type: 'id_token token',
  audience: 'appointments:api',
  scope: 'openid read:appointments',
  state,
  nonce: 'n',
})

t.test('the events of one flow: its state, plus token and demo API calls since it started; no other client', async (t) => {
  const { app, clock } = await buildTestServer(t)
  // another client's flow with the same state, and another client's token request
  await signIn(app, { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'token', scope: 'openid', state: 'mine' })
  await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC })
  // the playground's earlier flow
  await startAuthorize(app, implicit('earlier'))
  clock.advance(5)
  const since = NOW + 5000
  const { res } = await signIn(app, implicit('mine'))
  const token = new URLSearchParams(new URL(String(res.headers.location)).hash.slice(1)).get('access_token')!
  await app.inject({ url: '/demo-api/appointments', headers: { authorization: `Bearer ${token}` } })

  const timeline = await app.inject({ url: `/playground/timeline?state=mine&since=${since}`, headers: SAME_ORIGIN })
  t.equal(timeline.statusCode, 200)
  t.equal(timeline.headers['cache-control'], 'no-store')
  const { events } = timeline.json()
  t.strictSame(
    events.map((e: { kind: string }) => e.kind),
    ['authorize.interaction', 'login.succeeded', 'authorize.interaction', 'consent.allowed', 'authorize.issued', 'api.allowed'],
  )
  for (const event of events) t.equal(event.client_id, 'gatehouse-playground')
  t.strictSame(events[0], {
    at: since,
    kind: 'authorize.interaction',
    client_id: 'gatehouse-playground',
    state: 'mine',
    summary: 'login required: no session',
    detail: 'the browser is sent to the login page; scope asked for: openid read:appointments',
  })
  t.match(events[4].summary, /^issued id_token token to gatehouse-playground for auth0\|alice \(openid read:appointments\) by fragment$/)

  const stateless = (await app.inject({ url: `/playground/timeline?since=${since}`, headers: SAME_ORIGIN })).json().events
  t.strictSame(stateless.map((e: { kind: string }) => e.kind), ['api.allowed'], 'without a state: only the token and API calls')
  const none = (await app.inject({ url: '/playground/timeline', headers: SAME_ORIGIN })).json().events
  t.strictSame(none, [], 'without state or since: nothing')
})

t.test('same origin only, and checked parameters', async (t) => {
  const { app } = await buildTestServer(t)
  for (const headers of [{}, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }]) {
    const res = await app.inject({ url: '/playground/timeline?state=s', headers })
    t.equal(res.statusCode, 403, JSON.stringify(headers))
    t.strictSame(res.json(), { error: 'access_denied', error_description: 'the playground backend only answers the playground page (same origin)' })
  }
  t.equal((await app.inject({ url: '/playground/timeline?state=s', headers: { origin: 'http://gatehouse.test' } })).statusCode, 200, 'Origin, without Fetch Metadata')
  const badSince = await app.inject({ url: '/playground/timeline?since=yesterday', headers: SAME_ORIGIN })
  t.equal(badSince.statusCode, 400)
  t.strictSame(badSince.json(), { error: 'invalid_request', error_description: 'since must be a time in milliseconds since 1970' })
  const longState = await app.inject({ url: `/playground/timeline?state=${'s'.repeat(129)}`, headers: SAME_ORIGIN })
  t.equal(longState.statusCode, 400)
  t.strictSame(longState.json(), { error: 'invalid_request', error_description: 'state is longer than 128 characters' })
})

t.test('no timeline when the playground is off', async (t) => {
  const { app } = await buildTestServer(t, { playground: false })
  t.equal((await app.inject({ url: '/playground/timeline?state=s', headers: SAME_ORIGIN })).statusCode, 404)
})
