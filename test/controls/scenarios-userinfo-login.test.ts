// Scenarios on /userinfo (RFC 6750 errors with their challenge, or claims merged into the answer) and on
// the login page (a login that would succeed shows the scripted error instead).
import t from 'tap'
import { SCRIPTED } from '../../src/controls/scenario-errors.js'
import { openLogin, postForm, startAuthorize, submitLogin } from '../helpers/server.js'
import { getUserinfo, IMPLICIT, implicitTokens } from '../helpers/tokens.js'
import { buildControlledServer } from './helpers.js'

t.test('userinfo: errors with their status and WWW-Authenticate, for a token that passed every check', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const { accessToken } = await implicitTokens(app)
  const cases: [string, number][] = [
    ['invalid_token', 401],
    ['insufficient_scope', 403],
    ['invalid_request', 400],
    ['temporarily_unavailable', 503],
  ]
  for (const [error, status] of cases) {
    await controls.queue({ on: 'userinfo', match: { client_id: 'organizer', user_id: 'auth0|alice' }, respond: { error, error_description: 'scripted' } })
    const res = await getUserinfo(app, accessToken)
    t.equal(res.statusCode, status, error)
    t.strictSame(res.json(), { error, error_description: 'scripted' })
    t.equal(res.headers['www-authenticate'], `Bearer realm="gatehouse", error="${error}", error_description="scripted"`)
  }
  t.equal((await getUserinfo(app, accessToken)).statusCode, 200)
})

t.test('userinfo: a bad token gets the protocol’s own answer and leaves the scenario pending', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue({ on: 'userinfo', respond: { error: 'invalid_token' } })
  const res = await getUserinfo(app, 'not.a.token')
  t.equal(res.statusCode, 401)
  t.match(res.json().error_description, /^the access token is not valid/)
  t.equal((await controls.get('scenarios')).json().scenarios.length, 1)
  const { accessToken } = await implicitTokens(app)
  const scripted = await getUserinfo(app, accessToken)
  t.strictSame(scripted.json(), { error: 'invalid_token', error_description: SCRIPTED })
})

t.test('userinfo: claims are merged into the answer; sub stays', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const { accessToken } = await implicitTokens(app)
  await controls.queue({ on: 'userinfo', match: { user_id: 'auth0|alice' }, respond: { claims: { picture: 'https://example.com/a.png', email: 'other@example.com' } } })
  const res = await getUserinfo(app, accessToken)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { sub: 'auth0|alice', name: 'Alice Liddell', picture: 'https://example.com/a.png', email: 'other@example.com' })
  t.equal((await getUserinfo(app, accessToken)).json().email, 'alice@example.com', 'once')
})

t.test('login: a login that would succeed shows the scripted error on the page, with its status', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue({ on: 'login', match: { client_id: 'organizer', user_id: 'auth0|alice' }, respond: { error: 'too_many_attempts', error_description: 'Your account is locked.' } })
  const start = await startAuthorize(app, IMPLICIT)
  // a wrong password gets its own answer, and the scenario waits
  const wrong = await submitLogin(app, start.headers.location!, 'alice', 'nope')
  t.equal(wrong.statusCode, 400)
  t.match(wrong.body, /Wrong username or password\./)
  // bob is not matched
  const bobs = await submitLogin(app, start.headers.location!, 'bob', 'builder')
  t.equal(bobs.statusCode, 303)
  const scripted = await submitLogin(app, start.headers.location!)
  t.equal(scripted.statusCode, 429)
  t.match(scripted.body, /Your account is locked\./)
  t.equal(scripted.cookies.find((c) => c.name === 'gatehouse_session'), undefined, 'no session')
  const after = await submitLogin(app, start.headers.location!)
  t.equal(after.statusCode, 303, 'then logins work again')
  const { events } = (await controls.get('events', { type: 'login' })).json()
  t.strictSame(
    events.map((e: { type: string; user_id?: string }) => [e.type, e.user_id ?? null]),
    [
      ['login.failed', null],
      ['login.succeeded', 'auth0|bob'],
      ['login.failed', 'auth0|alice'],
      ['login.succeeded', 'auth0|alice'],
    ],
  )
  t.equal(events[2].detail, 'reason: scripted')
})

t.test('login: the default status is 400, and the form can be sent again', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue({ on: 'login', respond: { error: 'access_denied' } })
  await controls.queue({ on: 'login', respond: { error: 'invalid_user_password', error_description: 'Wrong email or password.' } })
  const start = await startAuthorize(app, IMPLICIT)
  const { csrf, cookie } = await openLogin(app, start.headers.location!)
  const first = await postForm(app, start.headers.location!, { csrf, username: 'alice', password: 'wonderland' }, cookie)
  t.equal(first.statusCode, 403)
  t.match(first.body, new RegExp(SCRIPTED))
  const second = await postForm(app, start.headers.location!, { csrf, username: 'alice', password: 'wonderland' }, cookie)
  t.equal(second.statusCode, 400)
  t.match(second.body, /Wrong email or password\./)
})
