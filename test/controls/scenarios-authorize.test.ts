// Scenarios on /authorize: errors go back by the request's response mode once the client and redirect_uri
// are trusted; login_as signs a user in without the login page; requests they do not match are untouched.
import { decodeJwt } from 'jose'
import t from 'tap'
import { SCRIPTED } from '../../src/controls/scenario-errors.js'
import { errorPageOf, fragmentOf, hiddenFields, queryOf, sessionCookie, signIn, startAuthorize, submitConsent, submitLogin } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { CHALLENGE, codeGrant, IMPLICIT, organizerRequest, postToken } from '../helpers/tokens.js'
import { managementApi, managementTenant, managementToken, userPath } from '../management/helpers.js'
import { buildControlledServer } from './helpers.js'

const LOGIN_REQUIRED = { on: 'authorize', match: { client_id: 'organizer' }, respond: { error: 'login_required', error_description: 'Login required' } }

t.test('an error goes back in the fragment, with the state', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue(LOGIN_REQUIRED)
  const res = await startAuthorize(app, IMPLICIT)
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, `${CALLBACK}#error=login_required&error_description=Login+required&state=s`)
  t.strictSame((await controls.get('scenarios')).json(), { scenarios: [] }, 'used up')
  const next = await startAuthorize(app, IMPLICIT)
  t.match(next.headers.location, /^\/login\//, 'the next request goes on as before')
})

t.test('in the query for the code flow, without a description it says it was scripted', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue({ on: 'authorize', match: { client_id: 'organizer' }, respond: { error: 'temporarily_unavailable' } })
  const res = await startAuthorize(app, organizerRequest())
  t.equal(res.statusCode, 303)
  t.strictSame(queryOf(res.headers.location!), { error: 'temporarily_unavailable', error_description: SCRIPTED, state: 'st-1' })
})

t.test('by form_post and by web_message', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue({ ...LOGIN_REQUIRED, times: 2 })
  const formPost = await startAuthorize(app, { ...IMPLICIT, response_mode: 'form_post' })
  t.equal(formPost.statusCode, 200)
  t.strictSame(hiddenFields(formPost.body), [
    ['error', 'login_required'],
    ['error_description', 'Login required'],
    ['state', 's'],
  ])
  const webMessage = await startAuthorize(app, { ...IMPLICIT, response_mode: 'web_message', prompt: 'none' })
  t.equal(webMessage.statusCode, 200)
  const message = /data-message="([^"]*)"/.exec(webMessage.body)![1]!.replaceAll('&quot;', '"')
  t.strictSame(JSON.parse(message), {
    type: 'authorization_response',
    response: { error: 'login_required', error_description: 'Login required', state: 's' },
  })
})

t.test('silent authentication with a live session: login_required, once', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const { cookie } = await signIn(app, IMPLICIT)
  const silent = { ...IMPLICIT, prompt: 'none', state: 'silent' }
  t.match(fragmentOf((await startAuthorize(app, silent, cookie)).headers.location!), { access_token: /\./ }, 'issued before')
  await controls.queue(LOGIN_REQUIRED)
  t.strictSame(fragmentOf((await startAuthorize(app, silent, cookie)).headers.location!), {
    error: 'login_required',
    error_description: 'Login required',
    state: 'silent',
  })
  t.match(fragmentOf((await startAuthorize(app, silent, cookie)).headers.location!), { access_token: /\./ }, 'issued again after')
})

t.test('requests the scenario does not match are untouched, and it stays pending', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const { id } = await controls.queue(LOGIN_REQUIRED)
  // another client
  const other = await startAuthorize(app, { ...IMPLICIT, client_id: 'single' })
  t.match(other.headers.location, /^\/login\//)
  // the protocol's own refusals come first: unknown client, wrong redirect_uri, bad response_type
  const unknown = await startAuthorize(app, { ...IMPLICIT, client_id: 'nobody' })
  t.equal(unknown.statusCode, 400)
  t.equal(errorPageOf(unknown.body)?.error, 'invalid_client')
  const mismatch = await startAuthorize(app, { ...IMPLICIT, redirect_uri: 'https://evil.example/' })
  t.equal(mismatch.statusCode, 400)
  t.equal(errorPageOf(mismatch.body)?.error, 'invalid_request')
  const badType = await startAuthorize(app, { ...IMPLICIT, response_type: 'magic' })
  t.equal(badType.statusCode, 303)
  t.equal(queryOf(badType.headers.location!).error, 'unsupported_response_type')
  const noPkce = await startAuthorize(app, { ...organizerRequest(), code_challenge: 'short' })
  t.equal(noPkce.statusCode, 303)
  t.equal(queryOf(noPkce.headers.location!).error, 'invalid_request')
  const pending = (await controls.get('scenarios')).json().scenarios
  t.equal(pending.length, 1)
  t.equal(pending[0].id, id)
  t.equal(pending[0].remaining, 1)
})

t.test('a resumed request is the same /authorize: a scenario queued meanwhile waits for the next one', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const start = await startAuthorize(app, { ...IMPLICIT, client_id: 'first-party' })
  await controls.queue({ ...LOGIN_REQUIRED, match: { client_id: 'first-party' } })
  const login = await submitLogin(app, start.headers.location!)
  const res = await app.inject({ url: login.headers.location!, headers: { cookie: sessionCookie(login) } })
  t.match(fragmentOf(res.headers.location!), { access_token: /\./ }, 'issued')
  t.equal((await controls.get('scenarios')).json().scenarios.length, 1, 'still pending')
})

t.test('login_as: the login page is skipped, a real session starts, consent rules still apply', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue({ on: 'authorize', match: { client_id: 'organizer' }, respond: { login_as: 'auth0|bob' } })
  const start = await startAuthorize(app, IMPLICIT)
  t.equal(start.statusCode, 303)
  t.match(start.headers.location, /^\/login\//)
  const login = await app.inject({ url: start.headers.location! })
  t.equal(login.statusCode, 303, 'no page: straight back to /authorize')
  t.match(login.headers.location, /^\/authorize\/resume\//)
  const cookie = sessionCookie(login)
  // organizer is a third-party client: bob must still consent
  const resumed = await app.inject({ url: login.headers.location!, headers: { cookie } })
  t.match(resumed.headers.location, /^\/consent\//)
  const consent = await submitConsent(app, resumed.headers.location!, cookie)
  const done = await app.inject({ url: consent.headers.location!, headers: { cookie } })
  const tokens = fragmentOf(done.headers.location!)
  t.equal(decodeJwt(tokens.id_token!).sub, 'auth0|bob')
  // the session is real: silent authentication works with its cookie
  const silent = await startAuthorize(app, { ...IMPLICIT, prompt: 'none' }, cookie)
  t.equal(decodeJwt(fragmentOf(silent.headers.location!).access_token!).sub, 'auth0|bob')
  // the login page of the next request is shown as usual
  const again = await startAuthorize(app, { ...IMPLICIT, prompt: 'login' }, cookie)
  t.equal((await app.inject({ url: again.headers.location! })).statusCode, 200)
})

t.test('login_as replaces another user’s session, and works with prompt=none for a first-party client', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const request = { ...IMPLICIT, client_id: 'first-party' }
  const { cookie: alices } = await signIn(app, request)
  await controls.queue({ on: 'authorize', match: { client_id: 'first-party' }, respond: { login_as: 'auth0|bob' } })
  const start = await startAuthorize(app, { ...request, prompt: 'none' }, alices)
  const login = await app.inject({ url: start.headers.location!, headers: { cookie: alices } })
  const bobs = sessionCookie(login)
  t.not(bobs, alices)
  const done = await app.inject({ url: login.headers.location!, headers: { cookie: bobs } })
  t.equal(decodeJwt(fragmentOf(done.headers.location!).access_token!).sub, 'auth0|bob')
  // alice's session ended with the new login
  const silent = await startAuthorize(app, { ...request, prompt: 'none' }, alices)
  t.equal(fragmentOf(silent.headers.location!).error, 'login_required')
})

t.test('claims and expires_in for one user: merged into the tokens /authorize issues, and kept in a code', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const claims = { 'https://example.com/roles': ['admin'], tier: 'gold' }
  await controls.queue({ on: 'authorize', match: { client_id: 'first-party', user_id: 'auth0|alice' }, respond: { claims, expires_in: 120 }, times: 2 })
  // bob is not matched
  const { res: bobs } = await signIn(app, { ...IMPLICIT, client_id: 'first-party' }, { username: 'bob', password: 'builder' })
  t.equal(decodeJwt(fragmentOf(bobs.headers.location!).access_token!).tier, undefined)

  const { res } = await signIn(app, { ...IMPLICIT, client_id: 'first-party' })
  const fragment = fragmentOf(res.headers.location!)
  t.equal(fragment.expires_in, '120')
  const access = decodeJwt(fragment.access_token!)
  t.strictSame(access['https://example.com/roles'], ['admin'])
  t.equal(access.tier, 'gold')
  t.equal(access.exp! - access.iat!, 120)
  t.equal(access.sub, 'auth0|alice', 'protocol claims stay the signer’s')
  t.equal(decodeJwt(fragment.id_token!).tier, 'gold')

  const { res: coded } = await signIn(app, { ...organizerRequest(), client_id: 'first-party', code_challenge: CHALLENGE })
  const code = queryOf(coded.headers.location!).code!
  const exchanged = await postToken(app, codeGrant(code, { client_id: 'first-party' }))
  t.equal(exchanged.statusCode, 200)
  t.equal(exchanged.json().expires_in, 120)
  t.equal(decodeJwt(exchanged.json().access_token).tier, 'gold')
  t.equal(decodeJwt(exchanged.json().id_token).tier, 'gold')
  t.strictSame((await controls.get('scenarios')).json().scenarios, [])
})

t.test('login_as for a user deleted meanwhile: the login page, saying why', async (t) => {
  const { app, controls } = await buildControlledServer(t, { tenant: managementTenant() })
  await controls.queue({ on: 'authorize', match: { client_id: 'organizer' }, respond: { login_as: 'auth0|bob' } })
  const start = await startAuthorize(app, IMPLICIT)
  t.equal((await managementApi(app, await managementToken(app)).delete(userPath('auth0|bob'))).statusCode, 204)
  const page = await app.inject({ url: start.headers.location! })
  t.equal(page.statusCode, 400)
  t.match(page.body, 'The test scenario&#39;s user auth0|bob does not exist.')
  t.equal(page.cookies.find((c) => c.name === 'gatehouse_session'), undefined)
})
