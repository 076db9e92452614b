// The playground's pages and its backend: page headers, the data handed to the browser code, the token
// requests it sends for the page (secret added, then masked) and the token copies it makes.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { buildServer } from '../../src/server.js'
import type { Client } from '../../src/config/types.js'
import { buildServerWithStore, buildTestServer, fakeClock, signIn } from '../helpers/server.js'
import { ISSUER, testConfig } from '../helpers/tenant.js'
import { errorOf, NOW_SECONDS } from '../helpers/tokens.js'

const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' }

const dataOf = (html: string) => {
  const match = /<div id="playground-data" data-json="([^"]*)" hidden><\/div>/.exec(html)
  if (!match) throw new Error('no playground data in the page')
  const unescaped = match[1]!.replace(/&(quot|amp|lt|gt|#39);/g, (_, e: string) => ({ quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'" })[e]!)
  return JSON.parse(unescaped)
}

const backend = (app: FastifyInstance, path: string, payload: unknown, headers: Record<string, string> = SAME_ORIGIN) =>
  app.inject({ method: 'POST', url: `/playground/${path}`, payload: payload as object, headers })

t.test('the playground page: security headers, its script by nonce, the tenant handed to the browser code', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await app.inject({ url: '/playground' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.headers['x-frame-options'], 'DENY')
  t.equal(res.headers['referrer-policy'], 'no-referrer')
  const csp = String(res.headers['content-security-policy'])
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1]
  t.equal(
    csp,
    `default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'nonce-${nonce}'; connect-src 'self'; frame-src 'self'; base-uri 'none'; frame-ancestors 'none'`,
  )
  t.match(res.body, `<script defer src="/playground/assets/playground.js" nonce="${nonce}"></script>`)
  t.match(res.body, '<div id="app" data-view="playground"></div>')
  t.notMatch(res.body, /<script(?! defer src="\/playground\/assets\/playground\.js")/, 'no other script')

  const data = dataOf(res.body)
  t.equal(data.clientId, 'gatehouse-playground')
  t.equal(data.callback, `${ISSUER}playground/callback`)
  t.strictSame(data.endpoints, {
    authorize: `${ISSUER}authorize`,
    token: `${ISSUER}oauth/token`,
    userinfo: `${ISSUER}userinfo`,
    jwks: `${ISSUER}.well-known/jwks.json`,
    oidcLogout: `${ISSUER}oidc/logout`,
    auth0Logout: `${ISSUER}v2/logout`,
    backendToken: `${ISSUER}playground/token`,
    backendVariant: `${ISSUER}playground/variant`,
    backendTimeline: `${ISSUER}playground/timeline`,
    demoApi: `${ISSUER}demo-api/appointments`,
  })
  t.strictSame(data.apis[0].scopes[1], { value: 'write:appointments', description: 'Book and cancel <appointments>' }, 'escaped in the page, intact in the data')
  t.strictSame(data.demoApi, { audience: 'appointments:api', scope: 'read:appointments' })
  t.strictSame(data.demoUsers, [], 'no passwords outside the demo tenant')
  t.notMatch(res.body, /backend-secret|wonderland/)
})

t.test('the demo tenant hands its users to the page', async (t) => {
  const { app } = await buildTestServer(t, { demo: true })
  const data = dataOf((await app.inject({ url: '/playground' })).body)
  t.strictSame(data.demoUsers, [{ username: 'alice', password: 'wonderland' }, { username: 'bob', password: 'builder' }])
})

t.test('the callback view may be framed by the playground only, and carries a form_post answer to the script', async (t) => {
  const { app } = await buildTestServer(t)
  const get = await app.inject({ url: '/playground/callback?code=abc&state=xyz' })
  t.equal(get.statusCode, 200)
  t.equal(get.headers['x-frame-options'], 'SAMEORIGIN')
  t.match(get.headers['content-security-policy'], /frame-ancestors 'self'$/)
  t.equal(dataOf(get.body).formPost, undefined, 'query and fragment are read by the script')

  const post = await app.inject({
    method: 'POST',
    url: '/playground/callback',
    payload: 'state=st%22%3E&code=c-1&id_token=a.b.c',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  t.equal(post.statusCode, 200)
  t.notMatch(post.body, 'st">', 'escaped')
  t.strictSame(dataOf(post.body).formPost, { state: 'st">', code: 'c-1', id_token: 'a.b.c' })
})

t.test('the playground script is served from the build', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await app.inject({ url: '/playground/assets/playground.js' })
  t.equal(res.statusCode, 200, 'run npm run build first')
  t.equal(res.headers['content-type'], 'text/javascript; charset=utf-8')
  t.match(res.body, 'async function showAuthorizationResponse(', 'readable, not minified')
  t.equal((await app.inject({ url: '/playground/assets/other.js' })).statusCode, 404)
  t.equal((await app.inject({ url: '/playground/assets/..%2Fcli.js' })).statusCode, 404)
})

t.test('backend token requests: the secret is added, and masked in what the page is shown', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await backend(app, 'token', { grant_type: 'client_credentials', audience: 'appointments:api', scope: 'read:appointments' })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const { request, response } = res.json()
  t.strictSame(request, {
    method: 'POST',
    url: `${ISSUER}oauth/token`,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: 'Basic [masked] (base64 of gatehouse-playground:<client_secret>)',
    },
    body: 'grant_type=client_credentials&audience=appointments%3Aapi&scope=read%3Aappointments',
  })
  t.equal(response.status, 200)
  t.strictSame(response.headers, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' })
  t.equal(response.body.token_type, 'Bearer')
  t.equal(decodeJwt(response.body.access_token).sub, 'gatehouse-playground@clients')
  t.equal(decodeJwt(response.body.access_token).exp, NOW_SECONDS + 86400)
})

t.test('backend token requests: the password and the code verifier are masked, errors passed on as they are', async (t) => {
  const { app } = await buildTestServer(t)
  const password = await backend(app, 'token', { grant_type: 'password', username: 'alice', password: 'wonderland', scope: 'openid' })
  t.equal(password.json().request.body, 'grant_type=password&username=alice&password=[masked]&scope=openid')
  t.equal(password.json().response.status, 200)

  const code = await backend(app, 'token', { grant_type: 'authorization_code', code: 'nope', redirect_uri: `${ISSUER}playground/callback`, code_verifier: 'v'.repeat(43) })
  const { request, response } = code.json()
  t.equal(request.body, `grant_type=authorization_code&code=nope&redirect_uri=${encodeURIComponent(`${ISSUER}playground/callback`)}&code_verifier=[masked]`)
  t.equal(response.status, 400)
  t.equal(response.body.error, 'invalid_grant')
})

t.test('backend token requests: only the grants and parameters the page needs', async (t) => {
  const { app } = await buildTestServer(t)
  const unknownGrant = await backend(app, 'token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code' })
  t.equal(unknownGrant.statusCode, 400)
  t.strictSame(unknownGrant.json(), {
    error: 'invalid_request',
    error_description: 'grant_type must be one of authorization_code, refresh_token, client_credentials, password',
  })
  const extra = await backend(app, 'token', { grant_type: 'client_credentials', audience: 'appointments:api', client_id: 'backend' })
  t.strictSame(extra.json(), { error: 'invalid_request', error_description: 'parameter client_id is not sent for grant_type client_credentials' })
})

t.test('the backend answers the playground page only', async (t) => {
  const { app } = await buildTestServer(t)
  const params = { grant_type: 'client_credentials', audience: 'appointments:api' }
  const refused = {
    error: 'access_denied',
    error_description: 'the playground backend only answers the playground page (same origin)',
  }
  const foreign: Record<string, string>[] = [{}, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }]
  for (const headers of foreign) {
    const res = await backend(app, 'token', params, headers)
    t.equal(res.statusCode, 403, JSON.stringify(headers))
    t.strictSame(res.json(), refused)
    const variant = await backend(app, 'variant', { token: 'x', variant: 'expired' }, headers)
    t.equal(variant.statusCode, 403)
    t.strictSame(variant.json(), refused)
  }
  t.equal((await backend(app, 'token', params, { origin: 'http://gatehouse.test' })).statusCode, 200, 'Origin without Fetch Metadata')
})

t.test('token copies for the demo API: expired, and for another audience, re-signed', async (t) => {
  const { app } = await buildTestServer(t)
  const issued = (await backend(app, 'token', { grant_type: 'client_credentials', audience: 'appointments:api' })).json().response.body.access_token
  const original = decodeJwt(issued)

  const expired = await backend(app, 'variant', { token: issued, variant: 'expired' })
  t.equal(expired.statusCode, 200)
  const expiredClaims = decodeJwt(expired.json().token)
  t.equal(expiredClaims.exp, NOW_SECONDS - 60)
  t.equal(expiredClaims.iat, NOW_SECONDS - 60 - 86400)
  t.strictSame({ ...expiredClaims, exp: 0, iat: 0 }, { ...original, exp: 0, iat: 0 }, 'nothing else changed')
  t.strictSame(decodeProtectedHeader(expired.json().token), decodeProtectedHeader(issued))
  const refusedExpired = await app.inject({ url: '/demo-api/appointments', headers: { authorization: `Bearer ${expired.json().token}` } })
  t.match(refusedExpired.json().error_description, /^the access token expired at /)

  const other = await backend(app, 'variant', { token: issued, variant: 'wrong-audience' })
  t.equal(decodeJwt(other.json().token).aud, 'https://wrong-audience.invalid/')
  const refusedAudience = await app.inject({ url: '/demo-api/appointments', headers: { authorization: `Bearer ${other.json().token}` } })
  t.equal(refusedAudience.statusCode, 401)
})

t.test('token copies only of current access tokens issued to the playground', async (t) => {
  const { app } = await buildTestServer(t)
  const { res } = await signIn(app, {
    client_id: 'organizer',
    redirect_uri: 'https://app.example.com/callback',
    response_type: 'token',
    scope: 'read:appointments',
    audience: 'appointments:api',
    state: 's',
  })
  const organizerToken = new URLSearchParams(new URL(res.headers.location!).hash.slice(1)).get('access_token')
  t.strictSame(errorOf(await backend(app, 'variant', { token: organizerToken, variant: 'expired' })), {
    status: 400,
    error: 'invalid_request',
    error_description: 'only access tokens issued to gatehouse-playground are copied',
  })
  t.strictSame(errorOf(await backend(app, 'variant', { token: 'a.b.c', variant: 'expired' })), {
    status: 400,
    error: 'invalid_request',
    error_description: 'token must be a current access token issued by this server',
  })
  t.strictSame(errorOf(await backend(app, 'variant', { token: 'a.b.c', variant: 'forged' })), {
    status: 400,
    error: 'invalid_request',
    error_description: 'variant must be one of expired, wrong-audience',
  })
})

t.test('an issuer with a path serves the playground under it', async (t) => {
  const { app } = await buildTestServer(t, { issuer: 'http://gatehouse.test/tenant-a/' })
  const res = await app.inject({ url: '/tenant-a/playground' })
  t.equal(res.statusCode, 200)
  t.match(res.body, 'src="/tenant-a/playground/assets/playground.js"')
  t.equal(dataOf(res.body).endpoints.backendToken, 'http://gatehouse.test/tenant-a/playground/token')
  const token = await app.inject({
    method: 'POST',
    url: '/tenant-a/playground/token',
    payload: { grant_type: 'client_credentials', audience: 'appointments:api' },
    headers: SAME_ORIGIN,
  })
  t.equal(token.json().response.status, 200, 'the backend finds the token endpoint under the path')
  t.equal(token.json().request.url, 'http://gatehouse.test/tenant-a/oauth/token')
})

t.test('secrets sent through the backend stay out of the logs', async (t) => {
  const lines: string[] = []
  const app = await buildServer(testConfig({ logLevel: 'trace' }), { clock: fakeClock(), logStream: { write: (line) => void lines.push(line) } })
  t.teardown(() => app.close())
  const verifier = 'verifier-'.padEnd(50, 'x')
  await backend(app, 'token', { grant_type: 'authorization_code', code: 'the-code', redirect_uri: `${ISSUER}playground/callback`, code_verifier: verifier })
  await backend(app, 'token', { grant_type: 'password', username: 'alice', password: 'wonderland' })
  await backend(app, 'token', { grant_type: 'client_credentials', audience: 'appointments:api' })
  const log = lines.join('\n')
  t.match(log, '/playground/token', 'the requests were logged')
  t.match(log, '/oauth/token', 'and the token requests they sent')
  for (const value of [verifier, 'wonderland', 'the-code', 'Basic ']) t.notMatch(log, value, `${value} is not logged`)
})

t.test('the client secret itself is never logged or shown', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  const secret = (await store.get<Client>('client', 'gatehouse-playground'))!.client_secret!
  const res = await backend(app, 'token', { grant_type: 'client_credentials', audience: 'appointments:api' })
  t.notMatch(res.body, secret)
  t.notMatch(res.body, Buffer.from(`gatehouse-playground:${secret}`).toString('base64'))
  t.notMatch((await app.inject({ url: '/playground' })).body, secret)
  t.notMatch((await app.inject({ url: '/', headers: { accept: 'text/html' } })).body, secret)
})
