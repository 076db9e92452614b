// A successful code exchange (RFC 6749 §4.1.4, §5.1; OIDC Core §3.1.3.3): the response, its headers and the tokens' claims.
import t from 'tap'
import { decodeProtectedHeader } from 'jose'
import { buildTestServer } from '../helpers/server.js'
import { appointmentsApi, ISSUER, testTenant } from '../helpers/tenant.js'
import { codeGrant, leftHalfSha256, NOW_SECONDS, obtainCode, organizerRequest, postToken, verifiedClaims } from '../helpers/tokens.js'

t.test('openid without an audience', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const code = await obtainCode(app, organizerRequest({ scope: 'openid profile email' }))
  clock.advance(30)
  const res = await postToken(app, codeGrant(code))
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.headers.pragma, 'no-cache')
  t.equal(res.headers['content-type'], 'application/json; charset=utf-8')
  const body = res.json()
  t.strictSame(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'token_type'])
  t.equal(body.token_type, 'Bearer')
  t.equal(body.expires_in, 86400)
  t.equal(body.scope, 'openid profile email')

  t.equal(decodeProtectedHeader(body.access_token).typ, 'at+jwt')
  const access = await verifiedClaims(app, body.access_token)
  t.match(access, {
    iss: ISSUER,
    sub: 'auth0|alice',
    aud: `${ISSUER}userinfo`,
    iat: NOW_SECONDS + 30,
    exp: NOW_SECONDS + 30 + 86400,
    scope: 'openid profile email',
    azp: 'organizer',
    client_id: 'organizer',
  })
  t.equal(access.gty, undefined)

  t.equal(decodeProtectedHeader(body.id_token).alg, 'RS256')
  const id = await verifiedClaims(app, body.id_token)
  t.match(id, {
    iss: ISSUER,
    sub: 'auth0|alice',
    aud: 'organizer',
    iat: NOW_SECONDS + 30,
    exp: NOW_SECONDS + 30 + 36000,
    auth_time: NOW_SECONDS,
    nonce: 'n-1',
    at_hash: leftHalfSha256(body.access_token),
    name: 'Alice Liddell',
    email: 'alice@example.com',
  })
  t.equal(id.c_hash, undefined, 'no c_hash from the token endpoint')
})

t.test('without openid there is no ID token', async (t) => {
  const { app } = await buildTestServer(t)
  const code = await obtainCode(app, organizerRequest({ scope: 'read:appointments', audience: 'appointments:api' }))
  const res = await postToken(app, codeGrant(code))
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.strictSame(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type'])
  t.equal(body.scope, 'read:appointments')
  const access = await verifiedClaims(app, body.access_token)
  t.equal(access.aud, 'appointments:api', 'one audience is a string')
})

t.test('expires_in is the API token_lifetime', async (t) => {
  const tenant = testTenant()
  tenant.resource_servers = [{ ...appointmentsApi, token_lifetime: 3600 }]
  const { app } = await buildTestServer(t, { tenant })
  const code = await obtainCode(app, organizerRequest({ audience: 'appointments:api', scope: 'openid read:appointments' }))
  const res = await postToken(app, codeGrant(code))
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.expires_in, 3600)
  const access = await verifiedClaims(app, body.access_token)
  t.strictSame(access.aud, ['appointments:api', `${ISSUER}userinfo`])
  t.equal(access.exp, NOW_SECONDS + 3600)
  t.equal(access.scope, 'openid read:appointments')
})

t.test('the default tenant API lifetime is 86400', async (t) => {
  const { app } = await buildTestServer(t)
  const code = await obtainCode(app, organizerRequest({ audience: 'appointments:api', scope: 'openid' }))
  const res = await postToken(app, codeGrant(code))
  t.equal(res.json().expires_in, 86400)
})
