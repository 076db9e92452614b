// GET/POST /login/:uid: the form, login_hint, CSRF, and interactions that are unknown or expired.
import t from 'tap'
import {
  buildTestServer,
  errorPageOf,
  openLogin,
  postForm,
  sessionCookie,
  startAuthorize,
} from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const base = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'token', scope: 'openid', state: 'st-1' }
const EXPIRED = { error: 'invalid_request', description: 'this sign-in request has expired or was already completed' }

t.test('the login page', async (t) => {
  const { app } = await buildTestServer(t)
  const start = await startAuthorize(app, base)
  const location = String(start.headers.location)
  const page = await app.inject({ url: location })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, `<form method="post" action="${location}">`)
  t.match(page.body, /<input type="hidden" name="csrf" value="[\w-]{16,}">/)
  t.match(page.body, '<input id="username" name="username" autocomplete="username" value="" required autofocus>')
  t.match(page.body, '<input id="password" type="password" name="password" autocomplete="current-password" required>')
  t.match(page.body, 'to continue to <strong>Organizer &lt;b&gt;&amp;&lt;/b&gt;</strong>')
  t.notMatch(page.body, '<b>&</b>')
  t.notMatch(page.body, 'wonderland', 'no demo passwords outside demo mode')
})

t.test('login_hint pre-fills the username, escaped', async (t) => {
  const { app } = await buildTestServer(t)
  const start = await startAuthorize(app, { ...base, login_hint: 'alice@example.com' })
  const page = await app.inject({ url: String(start.headers.location) })
  t.match(page.body, 'name="username" autocomplete="username" value="alice@example.com"')

  const hostile = await startAuthorize(app, { ...base, login_hint: '"><script>alert(1)</script>' })
  const hostilePage = await app.inject({ url: String(hostile.headers.location) })
  t.match(hostilePage.body, 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
  t.notMatch(hostilePage.body, '<script>alert(1)')
})

t.test('POST without a csrf token or with a wrong one is 403, and the interaction survives', async (t) => {
  const { app } = await buildTestServer(t)
  const start = await startAuthorize(app, base)
  const location = String(start.headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  const denied = {
    error: 'invalid_request',
    description: 'the form was not sent from this login page (CSRF token mismatch)',
  }
  const forms: Record<string, string>[] = [
    { username: 'alice', password: 'wonderland' },
    { username: 'alice', password: 'wonderland', csrf: 'wrong' },
    { username: 'alice', password: 'wonderland', csrf: '' },
    { username: 'alice', password: 'wonderland', csrf: `${csrf}x` },
  ]
  for (const form of forms) {
    const res = await postForm(app, location, form, cookie)
    t.equal(res.statusCode, 403)
    t.equal(res.headers['set-cookie'], undefined)
    t.equal(res.headers.location, undefined)
    t.strictSame(errorPageOf(res.body), denied)
  }
  const json = await app.inject({
    method: 'POST',
    url: location,
    payload: { username: 'alice', password: 'wonderland', csrf: [csrf] },
    headers: { cookie },
  })
  t.equal(json.statusCode, 403, 'a csrf that is not a string')

  const ok = await postForm(app, location, { username: 'alice', password: 'wonderland', csrf }, cookie)
  t.equal(ok.statusCode, 303)
  t.ok(sessionCookie(ok))
})

t.test('a CSRF token of another interaction is refused', async (t) => {
  const { app } = await buildTestServer(t)
  const a = String((await startAuthorize(app, base)).headers.location)
  const b = String((await startAuthorize(app, base)).headers.location)
  const { cookie } = await openLogin(app, a)
  const { csrf: csrfOfB } = await openLogin(app, b, cookie)
  const res = await postForm(app, a, { username: 'alice', password: 'wonderland', csrf: csrfOfB }, cookie)
  t.equal(res.statusCode, 403)
})

t.test('an unknown interaction is a 400 page', async (t) => {
  const { app } = await buildTestServer(t)
  const get = await app.inject({ url: '/login/does-not-exist' })
  t.equal(get.statusCode, 400)
  t.strictSame(errorPageOf(get.body), EXPIRED)
  const post = await postForm(app, '/login/does-not-exist', { username: 'alice', password: 'wonderland', csrf: 'x' })
  t.equal(post.statusCode, 400)
  t.strictSame(errorPageOf(post.body), EXPIRED)
  t.equal(post.headers['set-cookie'], undefined)
})

t.test('an interaction lasts 600 seconds', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  clock.advance(599)
  t.equal((await app.inject({ url: location })).statusCode, 200, 'still there at 599 s')
  clock.advance(2)
  const get = await app.inject({ url: location })
  t.equal(get.statusCode, 400)
  t.strictSame(errorPageOf(get.body), EXPIRED)
  const post = await postForm(app, location, { username: 'alice', password: 'wonderland', csrf }, cookie)
  t.equal(post.statusCode, 400)
  t.strictSame(errorPageOf(post.body), EXPIRED)
  t.equal(post.headers['set-cookie'], undefined)
})

t.test('logging in keeps the interaction deadline', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  clock.advance(500)
  const ok = await postForm(app, location, { username: 'alice', password: 'wonderland', csrf }, cookie)
  t.equal(ok.statusCode, 303)
  clock.advance(101)
  const resumed = await app.inject({ url: String(ok.headers.location), headers: { cookie: sessionCookie(ok) } })
  t.equal(resumed.statusCode, 400, 'the interaction keeps its original deadline')
})

t.test('a login form posted from another site or origin is refused (login CSRF)', async (t) => {
  const { app } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  const post = (site: string) =>
    app.inject({
      method: 'POST',
      url: location,
      payload: new URLSearchParams({ username: 'alice', password: 'wonderland', csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': site, cookie },
    })
  for (const site of ['cross-site', 'same-site']) {
    const res = await post(site)
    t.equal(res.statusCode, 403, site)
    t.equal(res.headers['set-cookie'], undefined, `${site}: no session`)
    t.strictSame(errorPageOf(res.body), {
      error: 'invalid_request',
      description: 'the form was not sent from this login page (CSRF token mismatch)',
    })
  }
  const ok = await post('same-origin')
  t.equal(ok.statusCode, 303)
  t.ok(sessionCookie(ok))
})

t.test('updates near the deadline do not keep the interaction alive past it', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const location = String((await startAuthorize(app, base)).headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  clock.advance(599.5)
  const ok = await postForm(app, location, { username: 'alice', password: 'wonderland', csrf }, cookie)
  t.equal(ok.statusCode, 303)
  clock.advance(0.7)
  const resumed = await app.inject({ url: String(ok.headers.location), headers: { cookie: sessionCookie(ok) } })
  clock.advance(0.5)
  const late = await app.inject({ url: String(resumed.headers.location), headers: { cookie: sessionCookie(ok) } })
  t.equal(late.statusCode, 400, 'gone at 600.7 s')
  t.strictSame(errorPageOf(late.body), EXPIRED)
})

t.test('the expired page states the configured interaction lifetime', async (t) => {
  const { app } = await buildTestServer(t, { ttl: { interaction: 120, session: 86400, code: 60, id_token: 36000, refresh_token: 2592000 } })
  const res = await app.inject({ url: '/login/unknown' })
  t.equal(res.statusCode, 400)
  t.match(res.body, '<p class="hint">Sign-in requests last 2 minutes and can be completed once.')
})
