// The login page starts a session; the session cookie carries it across /authorize requests.
import t from 'tap'
import { decodeJwt } from 'jose'
import {
  buildTestServer,
  errorPageOf,
  fragmentOf,
  hiddenField,
  openLogin,
  postForm,
  sessionCookie,
  signIn,
  startAuthorize,
  submitLogin,
} from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const base = { client_id: 'first-party', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 'st-1' }
const LOGIN = /^\/login\/([\w-]+)$/

t.test('no session: 303 to the login page of a new interaction', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await startAuthorize(app, base)
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, LOGIN)
  t.equal(res.headers['cache-control'], 'no-store')
  const other = await startAuthorize(app, base)
  t.not(other.headers.location, res.headers.location, 'each request gets its own interaction')
})

t.test('an unknown session cookie is no session', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await startAuthorize(app, base, 'gatehouse_session=forged')
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, LOGIN)
})

t.test('wrong password: the login page again, status 400, username kept, interaction still usable', async (t) => {
  const { app } = await buildTestServer(t)
  const start = await startAuthorize(app, base)
  const location = String(start.headers.location)
  const { csrf, cookie: browser } = await openLogin(app, location)
  const wrong = await postForm(app, location, { csrf, username: 'alice', password: 'wrong' }, browser)
  t.equal(wrong.statusCode, 400)
  t.match(wrong.headers['content-type'], /^text\/html/)
  t.equal(wrong.headers['set-cookie'], undefined, 'no session')
  t.match(wrong.body, '<p id="login-error" class="error" role="alert">Wrong username or password.</p>')
  t.match(wrong.body, /<input id="username" name="username" autocomplete="username" value="alice"/)
  t.equal(hiddenField(wrong.body, 'csrf'), csrf, 'the same form token, for the same browser')

  const unknownUser = await submitLogin(app, location, 'mallory', 'wonderland')
  t.equal(unknownUser.statusCode, 400)
  t.match(unknownUser.body, 'Wrong username or password.', 'same message for an unknown user')

  const empty = await submitLogin(app, location, 'alice', '')
  t.equal(empty.statusCode, 400)
  t.match(empty.body, 'Enter your username or email and your password.')

  const right = await submitLogin(app, location)
  t.equal(right.statusCode, 303)
  t.equal(right.headers.location, `/authorize/resume/${LOGIN.exec(location)![1]}`)
  const cookie = sessionCookie(right)
  const res = await app.inject({ url: String(right.headers.location), headers: { cookie } })
  t.equal(res.statusCode, 303)
  t.equal(decodeJwt(fragmentOf(String(res.headers.location)).id_token!).sub, 'auth0|alice')
})

t.test('login with the email address, in any case', async (t) => {
  const { app } = await buildTestServer(t)
  const { res } = await signIn(app, base, { username: 'Alice@Example.com' })
  t.equal(decodeJwt(fragmentOf(String(res.headers.location)).id_token!).sub, 'auth0|alice')
})

t.test('another user signs in as themselves', async (t) => {
  const { app } = await buildTestServer(t)
  const { res } = await signIn(app, base, { username: 'bob', password: 'builder' })
  t.equal(decodeJwt(fragmentOf(String(res.headers.location)).id_token!).sub, 'auth0|bob')
})

t.test('the session cookie: HttpOnly, SameSite=Lax, Path=/, not Secure over http', async (t) => {
  const { app } = await buildTestServer(t)
  const start = await startAuthorize(app, base)
  const login = await submitLogin(app, String(start.headers.location))
  const cookie = login.cookies.find((c) => c.name === 'gatehouse_session')!
  t.ok(cookie)
  t.equal(cookie.httpOnly, true)
  t.equal(cookie.sameSite, 'Lax')
  t.equal(cookie.path, '/')
  t.equal(cookie.secure, undefined)
  t.equal(cookie.maxAge, 86400)
  t.notMatch(String(login.headers['set-cookie']), /Secure/i)
})

t.test('the session cookie is SameSite=None; Secure when the issuer is https (silent authentication across sites)', async (t) => {
  const { app } = await buildTestServer(t, { issuer: 'https://gatehouse.test/' })
  const start = await startAuthorize(app, base)
  const login = await submitLogin(app, String(start.headers.location))
  const cookie = login.cookies.find((c) => c.name === 'gatehouse_session')!
  t.equal(cookie.secure, true)
  t.equal(cookie.httpOnly, true)
  t.equal(cookie.sameSite, 'None')
})

t.test('the session lasts across authorize requests', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  clock.advance(3600)
  const res = await startAuthorize(app, { ...base, state: 'second', nonce: 'n-2' }, cookie)
  t.equal(res.statusCode, 303)
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.state, 'second')
  const claims = decodeJwt(fragment.id_token!)
  t.equal(claims.nonce, 'n-2')
  t.equal(claims.auth_time, 1_700_000_000)
  t.equal(claims.iat, 1_700_003_600)

  const withoutCookie = await startAuthorize(app, base)
  t.match(withoutCookie.headers.location, LOGIN)
})

t.test('an expired session means a new login', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { cookie } = await signIn(app, base)
  clock.advance(86401)
  const res = await startAuthorize(app, base, cookie)
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, LOGIN)
})

t.test('logging in again replaces the previous session', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie: first } = await signIn(app, base)
  const start = await startAuthorize(app, { ...base, prompt: 'login' }, first)
  const { csrf, cookie } = await openLogin(app, String(start.headers.location), first)
  const login = await postForm(app, String(start.headers.location), { csrf, username: 'bob', password: 'builder' }, cookie)
  const second = sessionCookie(login)
  t.not(second, first)
  const old = await startAuthorize(app, base, first)
  t.match(old.headers.location, LOGIN, 'the old session is gone')
  const current = await startAuthorize(app, base, second)
  t.equal(decodeJwt(fragmentOf(String(current.headers.location)).id_token!).sub, 'auth0|bob')
})

t.test('concurrent resumes of one interaction: one answer, the others the expired page', async (t) => {
  const { app } = await buildTestServer(t)
  const start = await startAuthorize(app, base)
  const login = await submitLogin(app, String(start.headers.location))
  const cookie = sessionCookie(login)
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => app.inject({ url: String(login.headers.location), headers: { cookie } })),
  )
  const issued = answers.filter((res) => res.statusCode === 303)
  t.equal(issued.length, 1, 'one resume issues')
  t.ok(fragmentOf(String(issued[0]!.headers.location)).id_token)
  const refused = answers.filter((res) => res.statusCode === 400)
  t.equal(refused.length, 9)
  for (const res of refused) {
    t.strictSame(errorPageOf(res.body), {
      error: 'invalid_request',
      description: 'this sign-in request has expired or was already completed',
    })
  }
})

t.test('a finished interaction cannot be resumed again', async (t) => {
  const { app } = await buildTestServer(t)
  const start = await startAuthorize(app, base)
  const login = await submitLogin(app, String(start.headers.location))
  const cookie = sessionCookie(login)
  const done = await app.inject({ url: String(login.headers.location), headers: { cookie } })
  t.equal(done.statusCode, 303)
  const replay = await app.inject({ url: String(login.headers.location), headers: { cookie } })
  t.equal(replay.statusCode, 400)
  t.equal(replay.headers.location, undefined)
  t.strictSame(errorPageOf(replay.body), {
    error: 'invalid_request',
    description: 'this sign-in request has expired or was already completed',
  })
})
