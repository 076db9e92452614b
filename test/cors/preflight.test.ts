// Preflight from an allowed origin: 204 with the methods and headers Auth0's SDKs send.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { APP_ORIGIN } from '../helpers/tenant.js'

const preflight = (url: string, origin: string) => ({
  method: 'OPTIONS' as const,
  url,
  headers: {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type,auth0-client',
  },
})

t.test('allowed origin: 204 with methods, headers and credentials', async (t) => {
  const { app } = await buildTestServer(t)
  for (const url of ['/oauth/revoke', '/userinfo', '/.well-known/jwks.json']) {
    const res = await app.inject(preflight(url, APP_ORIGIN))
    t.equal(res.statusCode, 204, url)
    t.equal(res.headers['access-control-allow-origin'], APP_ORIGIN, url)
    t.equal(res.headers['access-control-allow-credentials'], 'true', url)
    t.equal(res.headers['access-control-allow-methods'], 'GET, POST', url)
    t.equal(res.headers['access-control-allow-headers'], 'Content-Type, Authorization, Auth0-Client', url)
    t.equal(res.headers.vary, 'Origin', url)
    t.equal(res.body, '', url)
  }
})

t.test('other origins and other paths: 404, no CORS headers', async (t) => {
  const { app } = await buildTestServer(t)
  const cases = [
    preflight('/oauth/revoke', 'https://evil.example.com'),
    // outside the CORS scope, even for an allowed origin
    preflight('/oauth/introspect', APP_ORIGIN),
    preflight('/authorize', APP_ORIGIN),
    preflight('/nowhere', APP_ORIGIN),
  ]
  for (const request of cases) {
    const res = await app.inject(request)
    const name = `${request.headers.origin} ${request.url}`
    t.equal(res.statusCode, 404, name)
    t.same(corsHeaders(res.headers), {}, name)
  }
})

const corsHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')))
