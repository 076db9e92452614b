// GET /v2/logout: ends the session and redirects to returnTo when the client allows it (Auth0 Authentication API).
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildServerWithStore, buildTestServer, startAuthorize } from '../helpers/server.js'
import { IMPLICIT, implicitTokens } from '../helpers/tokens.js'

const RETURN_TO = 'https://app.example.com/'

/** The one Set-Cookie of a response, with the attributes that must match the ones it was set with. */
function clearedCookie(res: LightMyRequestResponse) {
  t.equal(res.cookies.length, 1)
  const { name, value, maxAge, path, httpOnly, sameSite, secure } = res.cookies[0] as Record<string, unknown>
  return { name, value, maxAge, path, httpOnly, sameSite, secure }
}

async function setUp(t: Test, config = {}) {
  const { app, store } = await buildServerWithStore(t, config)
  const { cookie } = await implicitTokens(app)
  return { app, store, cookie, sessionId: cookie.split('=')[1]! }
}

t.test('allowed returnTo: 302 there, session deleted, cookie cleared', async (t) => {
  const { app, store, cookie, sessionId } = await setUp(t)
  const res = await app.inject({ url: `/v2/logout?client_id=organizer&returnTo=${encodeURIComponent(RETURN_TO)}`, headers: { cookie } })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, RETURN_TO)
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(await store.get('session', sessionId), undefined)
  t.same(clearedCookie(res), { name: 'gatehouse_session', value: '', maxAge: 0, path: '/', httpOnly: true, sameSite: 'Lax', secure: undefined })
  // The browser is signed out: /authorize asks for a login again.
  const again = await startAuthorize(app, { ...IMPLICIT, prompt: 'none' }, cookie)
  t.match(again.headers.location, /#error=login_required&/)
})

t.test('https issuer: the cleared cookie is SameSite=None; Secure, like the one that was set', async (t) => {
  const { app, cookie } = await setUp(t, { issuer: 'https://gatehouse.test/' })
  const res = await app.inject({ url: `/v2/logout?returnTo=${encodeURIComponent(RETURN_TO)}`, headers: { cookie } })
  t.equal(res.statusCode, 302)
  t.same(clearedCookie(res), { name: 'gatehouse_session', value: '', maxAge: 0, path: '/', httpOnly: true, sameSite: 'None', secure: true })
})

t.test('no client_id: returnTo is checked against every client (the tenant-level list)', async (t) => {
  const { app, store, cookie, sessionId } = await setUp(t)
  const res = await app.inject({ url: `/v2/logout?returnTo=${encodeURIComponent(RETURN_TO)}`, headers: { cookie } })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, RETURN_TO)
  t.equal(await store.get('session', sessionId), undefined)
})

t.test('client_id without returnTo: 302 to the first of its allowed_logout_urls, as Auth0 does', async (t) => {
  const { app, cookie } = await setUp(t)
  const res = await app.inject({ url: '/v2/logout?client_id=organizer', headers: { cookie } })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, RETURN_TO)
})

t.test('nowhere to go: the signed-out page', async (t) => {
  const { app, store, cookie, sessionId } = await setUp(t)
  const res = await app.inject({ url: '/v2/logout', headers: { cookie } })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.equal(res.headers['cache-control'], 'no-store')
  t.match(res.body, '<h1>You are signed out</h1>')
  t.equal(await store.get('session', sessionId), undefined)
  t.match(clearedCookie(res), { name: 'gatehouse_session', value: '', maxAge: 0 })
})

t.test('no session cookie: still a valid logout, nothing to clear', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await app.inject({ url: `/v2/logout?client_id=organizer&returnTo=${encodeURIComponent(RETURN_TO)}` })
  t.equal(res.statusCode, 302)
  t.equal(res.headers['set-cookie'], undefined)
})
