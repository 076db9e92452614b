// A client's web_origins may read the CORS-enabled endpoints: the origin is reflected, with credentials.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { APP_ORIGIN, tenantWithClient } from '../helpers/tenant.js'
import { implicitTokens } from '../helpers/tokens.js'

t.test('discovery, JWKS, userinfo and revoke answer the origin', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  const requests = [
    { url: '/.well-known/openid-configuration' },
    { url: '/.well-known/oauth-authorization-server' },
    { url: '/.well-known/jwks.json' },
    { url: '/userinfo', headers: { authorization: `Bearer ${accessToken}` } },
    { url: '/userinfo' },
    { method: 'POST' as const, url: '/oauth/revoke', payload: { client_id: 'organizer', token: 'x' } },
  ]
  for (const { headers, ...request } of requests) {
    const res = await app.inject({ ...request, headers: { ...headers, origin: APP_ORIGIN } })
    const name = `${request.method ?? 'GET'} ${request.url} → ${res.statusCode}`
    t.equal(res.headers['access-control-allow-origin'], APP_ORIGIN, name)
    t.equal(res.headers['access-control-allow-credentials'], 'true', name)
    t.equal(res.headers.vary, 'Origin', name)
  }
})

t.test('a web_origins entry with a trailing slash still names the origin', async (t) => {
  const tenant = tenantWithClient('organizer', { web_origins: ['https://spa.example.com/'] })
  const { app } = await buildTestServer(t, { tenant })
  const res = await app.inject({ url: '/.well-known/jwks.json', headers: { origin: 'https://spa.example.com' } })
  t.equal(res.headers['access-control-allow-origin'], 'https://spa.example.com')
})
