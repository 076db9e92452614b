// GET <issuer>: an HTML landing page for browsers, a small JSON document for scripts.
import t from 'tap'
import { prefersHtml } from '../../src/routes/landing.js'
import { buildTestServer } from '../helpers/server.js'
import { ISSUER, testTenant } from '../helpers/tenant.js'

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'

t.test('a browser gets the HTML page with the security headers of the login page', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.headers['x-frame-options'], 'DENY')
  t.equal(res.headers['referrer-policy'], 'no-referrer')
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers.vary, 'Accept')
  t.match(res.headers['content-security-policy'], /^default-src 'none'; style-src 'self'; .*frame-ancestors 'none'$/)
  t.notMatch(res.body, /<script/, 'no scripts at all')
  t.notMatch(res.body, /https?:\/\/(?!gatehouse\.test|app\.example\.com|ec\.example\.com)[^"<\s]*/, 'no external URL (no CDN, fonts or scripts)')
})

t.test('the page shows the endpoints, as in discovery', async (t) => {
  const { app } = await buildTestServer(t)
  const html = (await app.inject({ url: '/', headers: { accept: 'text/html' } })).body
  const discovery = (await app.inject({ url: '/.well-known/openid-configuration' })).json()
  t.match(html, `<a href="${ISSUER}.well-known/openid-configuration"><code>${ISSUER}.well-known/openid-configuration</code></a>`)
  t.match(html, `<a href="${discovery.jwks_uri}"><code>${discovery.jwks_uri}</code></a>`)
  for (const key of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'end_session_endpoint']) {
    t.match(html, `<code>${discovery[key]}</code>`, key)
  }
  t.match(html, `<code>${ISSUER}v2/logout</code>`, "Auth0's logout")
})

t.test('the tenant at a glance, every value escaped, no secrets and no passwords outside the demo tenant', async (t) => {
  const { app } = await buildTestServer(t)
  const html = (await app.inject({ url: '/', headers: { accept: 'text/html' } })).body
  t.match(html, 'Organizer &lt;b&gt;&amp;&lt;/b&gt;', 'client name escaped')
  t.notMatch(html, 'Organizer <b>', 'never raw')
  t.match(html, '<code>organizer</code>')
  t.match(html, '<code class="url">https://app.example.com/callback</code>', 'callbacks')
  t.match(html, '<code class="url">https://app.example.com</code>', 'web origins')
  t.match(html, /<code>client_credentials<\/code>/, 'grant types')
  t.match(html, 'regular_web, confidential (<code>client_secret_basic</code>), first party')
  t.match(html, '<code>appointments:api</code>')
  t.match(html, '<li><code>write:appointments</code> Book and cancel &lt;appointments&gt;</li>', 'scope descriptions escaped')
  t.match(html, '<code>auth0|alice</code>')
  t.match(html, 'alice@example.com')
  t.notMatch(html, 'backend-secret', 'no client secret')
  t.notMatch(html, 'wonderland', 'no password')
  t.match(html, 'Passwords are in the config file')
  t.match(html, `<code class="url">${ISSUER}demo-api/appointments</code>`, 'the demo API')
})

t.test('the demo tenant shows its users with their passwords', async (t) => {
  const tenant = testTenant()
  const { app } = await buildTestServer(t, { demo: true, tenant })
  const html = (await app.inject({ url: '/', headers: { accept: 'text/html' } })).body
  t.match(html, '<td><code>wonderland</code></td>')
  t.match(html, '<td><code>builder</code></td>')
  t.match(html, 'built-in <strong>demo tenant</strong>')
})

t.test('links to the playground, unless it is switched off', async (t) => {
  const { app } = await buildTestServer(t)
  const html = (await app.inject({ url: '/', headers: { accept: 'text/html' } })).body
  t.match(html, `<a href="${ISSUER}playground">playground</a>`)
  t.match(html, `<a class="button" href="${ISSUER}playground?flow=implicit-id-token-token&amp;run=1">Sign in with the playground</a>`)

  const { app: off } = await buildTestServer(t, { playground: false })
  const without = (await off.inject({ url: '/', headers: { accept: 'text/html' } })).body
  t.notMatch(without, 'playground')
})

t.test('Accept: application/json gets a JSON document', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await app.inject({ url: '/', headers: { accept: 'application/json' } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.headers.vary, 'Accept')
  t.strictSame(res.json(), {
    name: 'Gatehouse',
    description: "A mock OAuth 2.0 / OpenID Connect authorization server in Auth0's dialect",
    issuer: ISSUER,
    discovery: `${ISSUER}.well-known/openid-configuration`,
    jwks_uri: `${ISSUER}.well-known/jwks.json`,
    playground: `${ISSUER}playground`,
    demo_api: `${ISSUER}demo-api/appointments`,
  })
  const noAccept = await app.inject({ url: '/' })
  t.equal(noAccept.headers['content-type'], 'application/json; charset=utf-8', 'no Accept header: JSON')

  const { app: off } = await buildTestServer(t, { playground: false })
  t.equal((await off.inject({ url: '/', headers: { accept: 'application/json' } })).json().playground, null)
})

t.test('an issuer with a path serves the landing page at that path', async (t) => {
  const { app } = await buildTestServer(t, { issuer: 'http://gatehouse.test/tenant-a/' })
  const res = await app.inject({ url: '/tenant-a/', headers: { accept: 'text/html' } })
  t.equal(res.statusCode, 200)
  t.match(res.body, 'href="/tenant-a/assets/gatehouse.css"')
  t.match(res.body, '<code class="value">http://gatehouse.test/tenant-a/</code>')
  t.equal((await app.inject({ url: '/', headers: { accept: 'text/html' } })).statusCode, 404, 'nothing at the root')
})

t.test('content negotiation', async (t) => {
  t.equal(prefersHtml(BROWSER_ACCEPT), true)
  t.equal(prefersHtml('text/html'), true)
  t.equal(prefersHtml('text/*'), true)
  t.equal(prefersHtml('application/json'), false)
  t.equal(prefersHtml('*/*'), false)
  t.equal(prefersHtml(undefined), false)
  t.equal(prefersHtml('application/json, text/html;q=0.5'), false)
  t.equal(prefersHtml('application/json;q=0.5, text/html'), true)
  t.equal(prefersHtml('text/html;q=0'), false)
})
