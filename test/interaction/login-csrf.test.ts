// Login CSRF: the login form is bound to the browser its page was shown to, not only to Fetch Metadata.
import t from 'tap'
import { buildTestServer, errorPageOf, openLogin, postForm, sessionCookie, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const base = { client_id: 'first-party', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 'st-1' }
const DENIED = { error: 'invalid_request', description: 'the form was not sent from this login page (CSRF token mismatch)' }

t.test("an attacker's form token, posted by the victim's browser without Sec-Fetch-Site, logs no one in", async (t) => {
  const { app } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  // The attacker fetches the page without cookies and keeps its token.
  const attacker = await openLogin(app, location)
  // The victim's browser, from an old browser sending no Fetch Metadata: no login cookie, or its own.
  const victim = await openLogin(app, location)
  for (const cookie of [undefined, victim.cookie]) {
    const res = await postForm(app, location, { csrf: attacker.csrf, username: 'mallory', password: 'x' }, cookie)
    t.equal(res.statusCode, 403, cookie === undefined ? 'no login cookie' : "another browser's login cookie")
    t.equal(res.headers['set-cookie'], undefined, 'no session')
    t.equal(res.headers.location, undefined)
    t.strictSame(errorPageOf(res.body), DENIED)
  }
  const own = await postForm(app, location, { csrf: victim.csrf, username: 'alice', password: 'wonderland' }, victim.cookie)
  t.equal(own.statusCode, 303, "the victim's own form still works")
  t.ok(sessionCookie(own))
})

t.test('a login cookie the server did not set, or a malformed one, is refused', async (t) => {
  const { app } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  const { csrf } = await openLogin(app, location)
  for (const cookie of ['gatehouse_login=forged-browser-id-0123456789', 'gatehouse_login=', 'gatehouse_login=%3Cscript%3E']) {
    const res = await postForm(app, location, { csrf, username: 'alice', password: 'wonderland' }, cookie)
    t.equal(res.statusCode, 403, cookie)
    t.strictSame(errorPageOf(res.body), DENIED)
  }
})

t.test('the login cookie: HttpOnly, SameSite=Lax, only for the login pages, as long as an interaction', async (t) => {
  const { app } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  const page = await app.inject({ url: location })
  const cookie = page.cookies.find((c) => c.name === 'gatehouse_login')!
  t.ok(cookie)
  t.match(cookie.value, /^[\w-]{32}$/)
  t.equal(cookie.httpOnly, true)
  t.equal(cookie.sameSite, 'Lax')
  t.equal(cookie.path, '/login/')
  t.equal(cookie.maxAge, 600)
  t.equal(cookie.secure, undefined)
  t.notOk(page.body.includes(cookie.value), 'the page does not show the browser id')
})

t.test('the login cookie is SameSite=None; Secure over https and lives under the issuer path', async (t) => {
  const { app } = await buildTestServer(t, { issuer: 'https://gatehouse.test/tenant-a/' })
  const start = await app.inject({ url: `/tenant-a/authorize?${new URLSearchParams(base)}` })
  const page = await app.inject({ url: String(start.headers.location) })
  const cookie = page.cookies.find((c) => c.name === 'gatehouse_login')!
  t.equal(cookie.secure, true)
  t.equal(cookie.sameSite, 'None')
  t.equal(cookie.path, '/tenant-a/login/')
})

t.test('one browser: its login pages share the cookie, each view renews it, each page has its own token', async (t) => {
  const { app } = await buildTestServer(t)
  const a = String((await startAuthorize(app, base)).headers.location)
  const b = String((await startAuthorize(app, base)).headers.location)
  const first = await openLogin(app, a)
  const second = await openLogin(app, b, first.cookie)
  t.equal(second.cookie, first.cookie, 'the same browser id')
  t.not(second.csrf, first.csrf, 'tokens differ per interaction')
  const again = await openLogin(app, a, first.cookie)
  t.equal(again.csrf, first.csrf, 'the same page, the same token')
  t.equal(again.page.cookies.find((c) => c.name === 'gatehouse_login')?.maxAge, 600, 'renewed')

  const res = await postForm(app, b, { csrf: first.csrf, username: 'alice', password: 'wonderland' }, first.cookie)
  t.equal(res.statusCode, 403, "a's token does not answer b")
  const ok = await postForm(app, a, { csrf: first.csrf, username: 'alice', password: 'wonderland' }, first.cookie)
  t.equal(ok.statusCode, 303)
})

t.test('Fetch Metadata is still checked with the right cookie and token', async (t) => {
  const { app } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  const res = await app.inject({
    method: 'POST',
    url: location,
    payload: new URLSearchParams({ csrf, username: 'alice', password: 'wonderland' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site', cookie },
  })
  t.equal(res.statusCode, 403)
  t.strictSame(errorPageOf(res.body), DENIED)
})
