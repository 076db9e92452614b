// RFC 6750 §3.1: a request without any token gets a bare challenge and no error code.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'

t.test('no token: 401, realm only, empty body', async (t) => {
  const { app } = await buildTestServer(t)
  for (const method of ['GET', 'POST'] as const) {
    const res = await app.inject({ method, url: '/userinfo' })
    t.equal(res.statusCode, 401, method)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="gatehouse"', method)
    t.equal(res.body, '', method)
    t.equal(res.headers['cache-control'], 'no-store', method)
  }
})

// "attempted using an unsupported authentication method" is the spec's own example of lacking credentials.
t.test('another scheme is no bearer token either: 401, realm only, empty body', async (t) => {
  const { app } = await buildTestServer(t)
  for (const authorization of ['Basic b3JnYW5pemVyOng=', 'DPoP abc']) {
    const res = await app.inject({ url: '/userinfo', headers: { authorization } })
    t.equal(res.statusCode, 401, authorization)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="gatehouse"', authorization)
    t.equal(res.body, '', authorization)
  }
})
