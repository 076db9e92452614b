// client_credentials (RFC 6749 §4.4) in Auth0's shape: an audience, scopes from the client grant, a token about the client.
import t from 'tap'
import { decodeProtectedHeader } from 'jose'
import { buildTestServer } from '../helpers/server.js'
import { ISSUER, tenantWithClient, testTenant } from '../helpers/tenant.js'
import { BACKEND_BASIC, errorOf, NOW_SECONDS, postToken, verifiedClaims } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const cc = (extra: Record<string, string> = {}) =>
  postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api', ...extra }, { authorization: BACKEND_BASIC })

t.test('a token for the API with the client grant\'s scopes', async (t) => {
  const res = await cc()
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.headers.pragma, 'no-cache')
  const body = res.json()
  t.strictSame(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type'], 'no id_token, no refresh_token')
  t.equal(body.token_type, 'Bearer')
  t.equal(body.expires_in, 86400)
  t.equal(body.scope, 'read:appointments')
  t.equal(decodeProtectedHeader(body.access_token).typ, 'at+jwt')
  const claims = await verifiedClaims(app, body.access_token)
  t.strictSame(claims, {
    iss: ISSUER,
    sub: 'backend@clients',
    aud: 'appointments:api',
    iat: NOW_SECONDS,
    exp: NOW_SECONDS + 86400,
    scope: 'read:appointments',
    jti: claims.jti,
    client_id: 'backend',
    azp: 'backend',
    gty: 'client-credentials',
  })
  t.type(claims.jti, 'string')
})

t.test('asking for the granted scope explicitly', async (t) => {
  const res = await cc({ scope: 'read:appointments' })
  t.equal(res.statusCode, 200)
  t.equal(res.json().scope, 'read:appointments')
})

t.test('without audience or default_audience: 403 access_denied, in Auth0\'s words', async (t) => {
  const res = await postToken(app, { grant_type: 'client_credentials' }, { authorization: BACKEND_BASIC })
  t.strictSame(errorOf(res), {
    status: 403,
    error: 'access_denied',
    error_description: 'No audience parameter was provided, and no default audience has been configured',
  })
})

const deniedAudiences = [
  ['an unknown audience is 403 access_denied', 'https://nowhere.example.com/', 'Service not found: https://nowhere.example.com/'],
  [
    'an API the client has no grant for is 403 access_denied, as in Auth0',
    'https://ec.example.com/',
    'client backend has no client grant for https://ec.example.com/',
  ],
] as const

for (const [name, audience, description] of deniedAudiences) {
  t.test(name, async (t) => {
    t.strictSame(errorOf(await cc({ audience })), { status: 403, error: 'access_denied', error_description: description })
  })
}

t.test('a scope outside the client grant is invalid_scope', async (t) => {
  t.strictSame(errorOf(await cc({ scope: 'read:appointments write:appointments' })), {
    status: 400,
    error: 'invalid_scope',
    error_description: 'client backend was not granted write:appointments for appointments:api',
  })
  t.equal((await cc({ scope: 'openid' })).json().error, 'invalid_scope', 'no OIDC scopes without a user')
})

t.test('the API signing_alg is used', async (t) => {
  const tenant = testTenant()
  tenant.client_grants.push({ client_id: 'backend', audience: 'https://ec.example.com/', scope: ['read:ec'] })
  const { app } = await buildTestServer(t, { tenant })
  const res = await postToken(app, { grant_type: 'client_credentials', audience: 'https://ec.example.com/' }, { authorization: BACKEND_BASIC })
  t.equal(res.statusCode, 200)
  t.equal(decodeProtectedHeader(res.json().access_token).alg, 'ES256')
  t.equal((await verifiedClaims(app, res.json().access_token)).aud, 'https://ec.example.com/')
})

t.test('a public client allowed the grant is still unauthorized_client', async (t) => {
  const tenant = tenantWithClient('organizer', { grant_types: ['implicit', 'client_credentials'] })
  const { app } = await buildTestServer(t, { tenant })
  const res = await postToken(app, { grant_type: 'client_credentials', client_id: 'organizer', audience: 'appointments:api' })
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'unauthorized_client',
    error_description: 'client_credentials needs a confidential client that authenticates',
  })
})
