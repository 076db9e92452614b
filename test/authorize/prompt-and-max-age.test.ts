// prompt and max_age (OIDC Core §3.1.2.1): validated, and they force a new login without looping.
import t from 'tap'
import { decodeJwt } from 'jose'
import {
  buildTestServer,
  fragmentOf,
  loginAndResume,
  signIn,
  startAuthorize,
} from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const base = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 'st-1' }
const LOGIN = /^\/login\/[\w-]+$/

async function expectError(t: import('tap').Test, params: Record<string, string>, description: string) {
  const { app } = await buildTestServer(t)
  const res = await startAuthorize(app, { ...base, ...params })
  t.equal(res.statusCode, 303)
  t.strictSame(fragmentOf(String(res.headers.location)), { error: 'invalid_request', error_description: description, state: 'st-1' })
}

t.test('an unknown prompt is invalid_request', (t) => expectError(t, { prompt: 'bogus' }, 'unsupported prompt value: bogus'))

t.test('prompt=none combined with another value is invalid_request', async (t) => {
  await expectError(t, { prompt: 'none login' }, 'prompt=none must not be combined with other values')
  await expectError(t, { prompt: 'consent none' }, 'prompt=none must not be combined with other values')
})

t.test('a bad max_age is invalid_request', async (t) => {
  for (const maxAge of ['-1', 'abc', '1.5', '1e3', ' 5', '12345678901']) {
    await t.test(JSON.stringify(maxAge), (t) => expectError(t, { max_age: maxAge }, 'max_age must be a non-negative integer'))
  }
})

t.test('prompt=login forces the login page even with a session, then completes', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  clock.advance(30)
  const start = await startAuthorize(app, { ...base, prompt: 'login', state: 'again' }, cookie)
  t.equal(start.statusCode, 303)
  t.match(start.headers.location, LOGIN)
  const { res } = await loginAndResume(app, String(start.headers.location))
  t.equal(res.statusCode, 303)
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.state, 'again')
  t.equal(decodeJwt(fragment.id_token!).auth_time, 1_700_000_030, 'auth_time is the new login')
})

t.test('max_age=0 forces the login page, then completes', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  const start = await startAuthorize(app, { ...base, max_age: '0' }, cookie)
  t.equal(start.statusCode, 303)
  t.match(start.headers.location, LOGIN)
  const { res } = await loginAndResume(app, String(start.headers.location))
  t.equal(res.statusCode, 303)
  t.ok(String(res.headers.location).startsWith(`${CALLBACK}#`))
  t.equal(decodeJwt(fragmentOf(String(res.headers.location)).id_token!).auth_time, 1_700_000_000)
})

t.test('max_age larger than the session age needs no login', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  clock.advance(100)
  for (const maxAge of ['100', '3600']) {
    const res = await startAuthorize(app, { ...base, max_age: maxAge }, cookie)
    t.equal(res.statusCode, 303)
    const claims = decodeJwt(fragmentOf(String(res.headers.location)).id_token!)
    t.equal(claims.auth_time, 1_700_000_000, 'auth_time is the original login')
    t.equal(claims.iat, 1_700_000_100)
  }
})

t.test('max_age smaller than the session age forces the login page', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  clock.advance(100)
  const start = await startAuthorize(app, { ...base, max_age: '99' }, cookie)
  t.equal(start.statusCode, 303)
  t.match(start.headers.location, LOGIN)
  const { res } = await loginAndResume(app, String(start.headers.location))
  t.equal(decodeJwt(fragmentOf(String(res.headers.location)).id_token!).auth_time, 1_700_000_100)
})

t.test('prompt=none with a session too old for max_age is login_required', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  clock.advance(100)
  const res = await startAuthorize(app, { ...base, prompt: 'none', max_age: '10' }, cookie)
  t.equal(res.statusCode, 303)
  t.strictSame(fragmentOf(String(res.headers.location)), {
    error: 'login_required',
    error_description: 'last login 100s ago is older than max_age=10, and prompt=none does not allow the login page',
    state: 'st-1',
  })
})
