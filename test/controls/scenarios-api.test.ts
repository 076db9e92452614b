// /_gatehouse/scenarios itself: queue, list, delete; and every malformed request refused with 400 naming the field.
import t from 'tap'
import { MAX_SCENARIOS } from '../../src/controls/scenarios.js'
import { NOW } from '../helpers/server.js'
import { answer, buildControlledServer } from './helpers.js'

const ERROR = { on: 'authorize', match: { client_id: 'organizer' }, respond: { error: 'login_required' } }

t.test('queue, list with ids and what is left, delete one, delete all', async (t) => {
  const { controls } = await buildControlledServer(t)
  const created = await controls.post('scenarios', { ...ERROR, times: 3 })
  t.equal(created.statusCode, 201)
  const first = created.json()
  t.match(first, { id: /^\S{8,}$/, on: 'authorize', match: { client_id: 'organizer' }, respond: { error: 'login_required' }, times: 3, remaining: 3 })
  t.equal(first.created_at, new Date(NOW).toISOString())
  const second = await controls.queue({ on: 'token', respond: { claims: { a: 1 } } })
  t.strictSame(
    (await controls.get('scenarios')).json().scenarios.map((s: { id: string; times: number; match: object }) => [s.id, s.times, s.match]),
    [
      [first.id, 3, { client_id: 'organizer' }],
      [second.id, 1, {}],
    ],
  )
  t.equal((await controls.delete(`scenarios/${first.id}`)).statusCode, 204)
  t.strictSame(answer(await controls.delete(`scenarios/${first.id}`)), { status: 404, body: { error: 'not_found', error_description: `no pending scenario ${first.id}` } })
  t.strictSame(answer(await controls.delete('scenarios')), { status: 200, body: { deleted: 1 } })
  t.strictSame((await controls.get('scenarios')).json(), { scenarios: [] })
})

t.test('the queue is bounded', async (t) => {
  const { controls } = await buildControlledServer(t)
  for (let i = 0; i < MAX_SCENARIOS; i++) await controls.queue(ERROR)
  const full = await controls.post('scenarios', ERROR)
  t.strictSame(answer(full), {
    status: 409,
    body: { error: 'too_many_scenarios', error_description: 'the scenario queue is full: DELETE /_gatehouse/scenarios, or let some be used' },
  })
})

t.test('malformed scenarios: 400 naming the field', async (t) => {
  const { controls } = await buildControlledServer(t)
  const cases: [string, unknown, string, string][] = [
    ['not an object', [1], 'body', 'the body must be a JSON object, not an array'],
    ['unknown field', { ...ERROR, extra: 1 }, 'extra', 'extra is not a known field (known: on, match, respond, times)'],
    ['no on', { respond: ERROR.respond }, 'on', 'on is required'],
    ['bad on', { ...ERROR, on: 'logout' }, 'on', 'on must be one of "authorize", "token", "userinfo", "login"'],
    ['no respond', { on: 'authorize' }, 'respond', 'respond is required'],
    ['respond not an object', { ...ERROR, respond: 'login_required' }, 'respond', 'respond must be a JSON object, not string'],
    ['unknown match field', { ...ERROR, match: { client: 'x' } }, 'match.client', 'match.client is not a known field (known: client_id, user_id)'],
    ['grant_type outside token', { ...ERROR, match: { grant_type: 'password' } }, 'match.grant_type', 'match.grant_type is not a known field (known: client_id, user_id)'],
    ['bad grant_type', { on: 'token', match: { grant_type: 'magic' }, respond: { error: 'x' } }, 'match.grant_type', 'match.grant_type must be one of "authorization_code", "refresh_token", "client_credentials", "password"'],
    ['empty client_id', { ...ERROR, match: { client_id: '' } }, 'match.client_id', 'match.client_id must be a string of 1 to 256 characters'],
    ['bad error code', { ...ERROR, respond: { error: 'login required' } }, 'respond.error', 'respond.error must be an error code of letters, digits, "_", "." and "-" (e.g. login_required)'],
    ['quote in description', { ...ERROR, respond: { error: 'x', error_description: 'say "hi"' } }, 'respond.error_description', 'respond.error_description must be printable ASCII without " and \\ (RFC 6749 §5.2)'],
    ['error and claims', { ...ERROR, respond: { error: 'x', claims: {} } }, 'respond.claims', 'respond.claims is not a known field (known: error, error_description)'],
    ['login_as on token', { on: 'token', respond: { login_as: 'auth0|alice' } }, 'respond.login_as', 'respond.login_as is for on "authorize" only'],
    ['claims on login', { on: 'login', respond: { claims: { a: 1 } } }, 'respond.error', 'respond.error is required: a login scenario answers with an error on the login page'],
    ['empty respond', { ...ERROR, respond: {} }, 'respond', 'respond must have error, login_as, claims or expires_in'],
    ['expires_in on userinfo', { on: 'userinfo', respond: { expires_in: 5 } }, 'respond.expires_in', 'respond.expires_in is not a known field (known: claims)'],
    ['protocol claim', { ...ERROR, respond: { claims: { sub: 'x' } } }, 'respond.claims.sub', 'respond.claims.sub is set by the signer and cannot be scripted (mint a token with POST /_gatehouse/tokens for any claims)'],
    ['claims not an object', { ...ERROR, respond: { claims: [1] } }, 'respond.claims', 'respond.claims must be a JSON object, not an array'],
    ['huge claims', { ...ERROR, respond: { claims: { a: 'x'.repeat(9000) } } }, 'respond.claims', 'respond.claims must be at most 8192 bytes of JSON'],
    ['zero expires_in', { ...ERROR, respond: { expires_in: 0 } }, 'respond.expires_in', 'respond.expires_in must be a whole number from 1 to 31536000'],
    ['times 0', { ...ERROR, times: 0 }, 'times', 'times must be a whole number from 1 to 1000'],
    ['times fraction', { ...ERROR, times: 1.5 }, 'times', 'times must be a whole number from 1 to 1000'],
    [
      'user_id for an authorize error',
      { ...ERROR, match: { user_id: 'auth0|alice' } },
      'match.user_id',
      'match.user_id cannot match: authorize errors are decided before the user is known; match by client_id',
    ],
    [
      'user_id for login_as',
      { on: 'authorize', match: { user_id: 'auth0|alice' }, respond: { login_as: 'auth0|alice' } },
      'match.user_id',
      'match.user_id cannot match: authorize login_as is decided before the user is known; match by client_id',
    ],
    [
      'user_id for a token error',
      { on: 'token', match: { user_id: 'auth0|alice' }, respond: { error: 'invalid_grant' } },
      'match.user_id',
      'match.user_id cannot match: token errors are decided before the user is known; match by client_id and grant_type',
    ],
    ['login_as an unknown user', { on: 'authorize', respond: { login_as: 'auth0|nobody' } }, 'respond.login_as', 'respond.login_as names no user of this tenant: auth0|nobody'],
  ]
  for (const [name, body, field, description] of cases) {
    t.strictSame(answer(await controls.post('scenarios', body)), { status: 400, body: { error: 'invalid_request', error_description: description, field } }, name)
  }
  t.strictSame((await controls.get('scenarios')).json(), { scenarios: [] }, 'none was queued')
})

t.test('bodies: JSON only, bounded, and never from another origin’s page', async (t) => {
  const { app } = await buildControlledServer(t)
  const form = await app.inject({ method: 'POST', url: '/_gatehouse/scenarios', payload: 'on=authorize', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
  t.equal(form.statusCode, 415)
  t.equal(form.json().error, 'invalid_request')
  const badJson = await app.inject({ method: 'POST', url: '/_gatehouse/scenarios', payload: '{"on":', headers: { 'content-type': 'application/json' } })
  t.equal(badJson.statusCode, 400)
  t.equal(badJson.json().error, 'invalid_request')
  const huge = await app.inject({ method: 'POST', url: '/_gatehouse/scenarios', payload: JSON.stringify({ pad: 'x'.repeat(20_000) }), headers: { 'content-type': 'application/json' } })
  t.equal(huge.statusCode, 413)
  t.equal(huge.json().error, 'invalid_request')
  const crossOrigin = await app.inject({
    method: 'POST',
    url: '/_gatehouse/reset',
    headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
    payload: '{}',
  })
  t.strictSame(answer(crossOrigin), { status: 403, body: { error: 'access_denied', error_description: 'the test controls do not answer pages of other origins' } })
  const crossSite = await app.inject({ url: '/_gatehouse/events', headers: { 'sec-fetch-site': 'cross-site' } })
  t.equal(crossSite.statusCode, 403)
  t.equal(crossSite.json().error, 'access_denied')
  const sameOrigin = await app.inject({ url: '/_gatehouse/clock', headers: { origin: 'http://gatehouse.test' } })
  t.equal(sameOrigin.statusCode, 200)
  t.equal(sameOrigin.headers['cache-control'], 'no-store')
})
