// Origins no client lists, and routes outside the CORS scope, get no CORS headers at all.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { APP_ORIGIN } from '../helpers/tenant.js'

const corsHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')))

t.test('an unlisted origin on a CORS route: no Access-Control-* headers, still Vary: Origin for caches', async (t) => {
  const { app } = await buildTestServer(t)
  for (const origin of ['https://evil.example.com', 'null', 'https://app.example.com:8443']) {
    const res = await app.inject({ url: '/.well-known/jwks.json', headers: { origin } })
    t.equal(res.statusCode, 200, origin)
    t.same(corsHeaders(res.headers), {}, origin)
    t.equal(res.headers.vary, 'Origin', origin)
  }
  const noOrigin = await app.inject({ url: '/.well-known/openid-configuration' })
  t.same(corsHeaders(noOrigin.headers), {})
})

t.test('an allowed origin on routes outside the scope: no CORS headers', async (t) => {
  const { app } = await buildTestServer(t)
  const requests = [
    { url: '/oauth/introspect', method: 'POST' as const, payload: { client_id: 'organizer', token: 'x' } },
    { url: '/v2/logout' },
    { url: '/authorize?client_id=organizer' },
    { url: '/healthz' },
  ]
  for (const request of requests) {
    const res = await app.inject({ ...request, headers: { origin: APP_ORIGIN } })
    t.same(corsHeaders(res.headers), {}, request.url)
    t.equal(res.headers.vary, undefined, request.url)
  }
})
