import t from 'tap'
import { CALLBACK } from '../helpers/tenant.js'
import { buildTestServer, fragmentOf, openLogin, sessionCookie } from '../helpers/server.js'

// An issuer with a path serves every endpoint, page and redirect under that path.
t.test('an issuer with a path serves the whole flow under it', async (t) => {
  const { app } = await buildTestServer(t, { issuer: 'http://gatehouse.test/tenant-a/' })
  const discovery = await app.inject({ url: '/tenant-a/.well-known/openid-configuration' })
  t.equal(discovery.statusCode, 200)
  t.equal(discovery.json().authorization_endpoint, 'http://gatehouse.test/tenant-a/authorize')
  t.equal((await app.inject({ url: '/.well-known/openid-configuration' })).statusCode, 404)
  const inserted = await app.inject({ url: '/.well-known/oauth-authorization-server/tenant-a' })
  t.equal(inserted.json().issuer, 'http://gatehouse.test/tenant-a/', 'RFC 8414 path insertion')
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'the health check stays at the root')

  const query = new URLSearchParams({
    client_id: 'first-party', redirect_uri: CALLBACK, response_type: 'token', scope: 'openid', state: 'st',
  })
  const start = await app.inject({ url: `/tenant-a/authorize?${query}` })
  t.equal(start.statusCode, 303)
  t.match(start.headers.location, /^\/tenant-a\/login\/[\w-]+$/)

  const { page, csrf, cookie } = await openLogin(app, start.headers.location!)
  t.match(page.body, `action="${start.headers.location}"`)
  t.match(page.body, 'href="/tenant-a/assets/gatehouse.css"')
  t.equal((await app.inject({ url: '/tenant-a/assets/gatehouse.css' })).statusCode, 200)

  const login = await app.inject({
    method: 'POST',
    url: start.headers.location!,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ csrf, username: 'alice', password: 'wonderland' }).toString(),
  })
  t.match(login.headers.location, /^\/tenant-a\/authorize\/resume\//)
  const done = await app.inject({ url: login.headers.location!, headers: { cookie: sessionCookie(login) } })
  t.equal(fragmentOf(done.headers.location!).state, 'st')
  t.equal(JSON.parse(Buffer.from(fragmentOf(done.headers.location!).access_token!.split('.')[1]!, 'base64url').toString()).iss, 'http://gatehouse.test/tenant-a/')
})
