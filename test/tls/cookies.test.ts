// Under an https issuer Gatehouse's cookies are SameSite=None; Secure, as Auth0's, so that silent
// authentication works from an app on another site; under http they stay SameSite=Lax, without Secure.
import t, { type Test } from 'tap'
import { buildTestServer, startAuthorize, submitLogin } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const base = { client_id: 'first-party', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 'st-1' }

/** The Set-Cookie headers of a login page view and of its form post, each value replaced by "…". */
async function setCookies(t: Test, issuer: string) {
  const { app } = await buildTestServer(t, { issuer })
  const prefix = new URL(issuer).pathname.replace(/\/$/, '')
  const start = await app.inject({ url: `${prefix}/authorize?${new URLSearchParams(base)}` })
  const location = String(start.headers.location)
  const page = await app.inject({ url: location })
  const login = await submitLogin(app, location)
  const headers = [page.headers['set-cookie'], login.headers['set-cookie']].flat().filter((h): h is string => typeof h === 'string')
  return headers.map((header) => header.replace(/^(\w+)=[^;]+/, '$1=…'))
}

t.test('an https issuer: the session and login cookies are SameSite=None; Secure', async (t) => {
  t.same(await setCookies(t, 'https://gatehouse.test/'), [
    'gatehouse_login=…; Max-Age=600; Path=/login/; HttpOnly; Secure; SameSite=None',
    'gatehouse_session=…; Max-Age=86400; Path=/; HttpOnly; Secure; SameSite=None',
  ])
})

t.test('an https issuer with a path: the same, the login cookie under that path', async (t) => {
  t.same(await setCookies(t, 'https://gatehouse.test/tenant-a/'), [
    'gatehouse_login=…; Max-Age=600; Path=/tenant-a/login/; HttpOnly; Secure; SameSite=None',
    'gatehouse_session=…; Max-Age=86400; Path=/; HttpOnly; Secure; SameSite=None',
  ])
})

t.test('an http issuer: SameSite=Lax without Secure, as before (browsers refuse SameSite=None without Secure)', async (t) => {
  t.same(await setCookies(t, 'http://gatehouse.test/'), [
    'gatehouse_login=…; Max-Age=600; Path=/login/; HttpOnly; SameSite=Lax',
    'gatehouse_session=…; Max-Age=86400; Path=/; HttpOnly; SameSite=Lax',
  ])
})

t.test('an https issuer: logging out clears the session cookie with the attributes it was set with', async (t) => {
  const { app } = await buildTestServer(t, { issuer: 'https://gatehouse.test/' })
  const start = await startAuthorize(app, base)
  const login = await submitLogin(app, String(start.headers.location))
  const session = login.cookies.find((c) => c.name === 'gatehouse_session')!
  const res = await app.inject({ url: '/v2/logout', headers: { cookie: `gatehouse_session=${session.value}` } })
  t.match(String(res.headers['set-cookie']), /^gatehouse_session=; Max-Age=0; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=None$/)
})
