// Consent: asked once per scope, remembered as a grant, skipped for first-party clients where the API allows it.
import t from 'tap'
import { decodeJwt } from 'jose'
import {
  buildTestServer,
  consentAndResume,
  CONSENT_REQUEST,
  fragmentOf,
  loginAndResume,
  loginToConsent,
  signIn,
  startAuthorize,
} from '../helpers/server.js'
import { appointmentsApi, CALLBACK, testTenant } from '../helpers/tenant.js'

const base = CONSENT_REQUEST
const CONSENT = /^\/consent\/([\w-]+)$/

t.test('a third-party client asks for consent after the login', async (t) => {
  const { app } = await buildTestServer(t)
  const start = await startAuthorize(app, base)
  const { res, cookie } = await loginAndResume(app, String(start.headers.location))
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, CONSENT)
  t.equal(CONSENT.exec(String(res.headers.location))![1], /^\/login\/([\w-]+)$/.exec(String(start.headers.location))![1], 'same interaction')
  const done = await consentAndResume(app, String(res.headers.location), cookie)
  t.equal(done.statusCode, 303)
  t.equal(fragmentOf(String(done.headers.location)).scope, 'openid read:appointments')
})

t.test('deny: access_denied in the fragment with state, and nothing is stored', async (t) => {
  const { app } = await buildTestServer(t)
  const { res, cookie } = await signIn(app, base, { decision: 'deny' })
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`))
  t.strictSame(fragmentOf(location), {
    error: 'access_denied',
    error_description: 'User did not authorize the request',
    state: 'st-1',
  })
  const again = await startAuthorize(app, base, cookie)
  t.match(again.headers.location, CONSENT, 'consent is asked again')
})

t.test('allow stores the grant: the same or fewer scopes skip consent', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  const same = await startAuthorize(app, { ...base, state: 'same' }, cookie)
  t.equal(same.statusCode, 303)
  t.equal(fragmentOf(String(same.headers.location)).state, 'same')
  const fewer = await startAuthorize(app, { ...base, scope: 'read:appointments' }, cookie)
  t.equal(fragmentOf(String(fewer.headers.location)).scope, 'read:appointments')
})

t.test('a new scope shows consent again, and the grant then covers both', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  const wider = { ...base, scope: 'openid read:appointments write:appointments' }
  const res = await startAuthorize(app, wider, cookie)
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, CONSENT)
  const done = await consentAndResume(app, String(res.headers.location), cookie)
  t.equal(fragmentOf(String(done.headers.location)).scope, 'openid read:appointments write:appointments')
  const later = await startAuthorize(app, { ...base, scope: 'write:appointments read:appointments openid' }, cookie)
  t.equal(fragmentOf(String(later.headers.location)).state, 'st-1', 'no consent page')
})

t.test('the grant is per audience and per user', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  const otherApi = await startAuthorize(app, { ...base, audience: 'https://ec.example.com/', scope: 'openid' }, cookie)
  t.match(otherApi.headers.location, CONSENT)
  const { res: bob } = await signIn(app, base, { username: 'bob', password: 'builder', decision: 'deny' })
  t.equal(fragmentOf(String(bob.headers.location)).error, 'access_denied', 'bob is asked (and says no)')
})

t.test('prompt=consent shows consent again, then completes', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  const res = await startAuthorize(app, { ...base, prompt: 'consent', state: 'asked-again' }, cookie)
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, CONSENT)
  const done = await consentAndResume(app, String(res.headers.location), cookie)
  t.equal(done.statusCode, 303)
  const fragment = fragmentOf(String(done.headers.location))
  t.equal(fragment.state, 'asked-again')
  t.equal(fragment.token_type, 'Bearer')
})

t.test('prompt=consent then deny is access_denied', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  const res = await startAuthorize(app, { ...base, prompt: 'consent' }, cookie)
  const done = await consentAndResume(app, String(res.headers.location), cookie, 'deny')
  t.equal(fragmentOf(String(done.headers.location)).error, 'access_denied')
})

t.test('a first-party client skips consent when the API allows it', async (t) => {
  const { app } = await buildTestServer(t)
  for (const params of [base, { ...base, audience: '', scope: 'openid profile' }]) {
    const start = await startAuthorize(app, { ...params, client_id: 'first-party' })
    const { res } = await loginAndResume(app, String(start.headers.location))
    t.equal(res.statusCode, 303)
    const location = String(res.headers.location)
    t.ok(location.startsWith(`${CALLBACK}#`), 'no consent page')
    t.equal(decodeJwt(fragmentOf(location).access_token!).azp, 'first-party')
  }
})

t.test('a first-party client is asked when the API does not allow skipping', async (t) => {
  const tenant = testTenant()
  tenant.resource_servers = tenant.resource_servers.map((api) =>
    api.identifier === appointmentsApi.identifier ? { ...api, skip_consent_for_verifiable_first_party_clients: false } : api,
  )
  const { app } = await buildTestServer(t, { tenant })
  const { location, cookie } = await loginToConsent(app, { ...base, client_id: 'first-party' })
  t.match(location, CONSENT)
  const done = await consentAndResume(app, location, cookie)
  t.equal(fragmentOf(String(done.headers.location)).scope, 'openid read:appointments')
})

t.test('prompt=none: tokens when the session and the grant cover the request', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  const res = await startAuthorize(app, { ...base, prompt: 'none', state: 'silent' }, cookie)
  t.equal(res.statusCode, 303)
  const fragment = fragmentOf(String(res.headers.location))
  t.strictSame(Object.keys(fragment).sort(), ['access_token', 'expires_in', 'scope', 'state', 'token_type'])
  t.equal(fragment.state, 'silent')
})

t.test('prompt=none without a session is login_required', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await startAuthorize(app, { ...base, prompt: 'none' })
  t.equal(res.statusCode, 303)
  t.strictSame(fragmentOf(String(res.headers.location)), {
    error: 'login_required',
    error_description: 'no session, and prompt=none does not allow the login page',
    state: 'st-1',
  })
})

t.test('prompt=none without a grant is consent_required', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  const res = await startAuthorize(
    app,
    { ...base, scope: 'openid read:appointments write:appointments', prompt: 'none' },
    cookie,
  )
  t.equal(res.statusCode, 303)
  t.strictSame(fragmentOf(String(res.headers.location)), {
    error: 'consent_required',
    error_description: 'write:appointments not yet granted, and prompt=none does not allow the consent page',
    state: 'st-1',
  })
})

t.test('prompt=none after a denied consent is consent_required', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base, { decision: 'deny' })
  const res = await startAuthorize(app, { ...base, prompt: 'none' }, cookie)
  t.equal(fragmentOf(String(res.headers.location)).error, 'consent_required')
})
