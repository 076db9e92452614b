// A client's jwt_configuration.alg (Auth0's name) chooses how its ID tokens are signed; RS256 by default.
// Every alg discovery lists in id_token_signing_alg_values_supported is one a client can get.
import t, { type Test } from 'tap'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import type { SigningAlg } from '../../src/config/types.js'
import { buildTestServer, fragmentOf, jwksOf, signIn } from '../helpers/server.js'
import { CALLBACK, ISSUER, tenantWithClient } from '../helpers/tenant.js'
import { BACKEND_BASIC, leftHalfSha256, NOW_SECONDS, postToken } from '../helpers/tokens.js'

const implicitIdToken = async (t: Test, alg?: SigningAlg) => {
  const tenant = tenantWithClient('first-party', alg === undefined ? {} : { jwt_configuration: { alg } })
  const { app } = await buildTestServer(t, { tenant })
  const { res, cookie } = await signIn(app, {
    client_id: 'first-party',
    redirect_uri: CALLBACK,
    response_type: 'id_token token',
    scope: 'openid',
    nonce: 'n',
  })
  const fragment = fragmentOf(String(res.headers.location))
  return { app, cookie, idToken: fragment.id_token!, accessToken: fragment.access_token! }
}

t.test('every advertised ID token alg is issued on request, and verifies', async (t) => {
  const { app } = await buildTestServer(t)
  const advertised = (await app.inject({ url: '/.well-known/openid-configuration' })).json()
    .id_token_signing_alg_values_supported as SigningAlg[]
  t.strictSame(advertised, ['RS256', 'ES256'])
  const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json().keys as { alg: string; kid: string }[]
  for (const alg of advertised) {
    const { app, idToken, accessToken } = await implicitIdToken(t, alg)
    const header = decodeProtectedHeader(idToken)
    t.equal(header.alg, alg, alg)
    t.equal(header.kid, jwks.find((k) => k.alg === alg)?.kid, `${alg}: the JWKS key of that alg`)
    const { payload } = await jwtVerify(idToken, await jwksOf(app), {
      issuer: ISSUER,
      audience: 'first-party',
      algorithms: [alg],
      currentDate: new Date(NOW_SECONDS * 1000),
    })
    // both algs hash with SHA-256 (OIDC Core §3.2.2.9)
    t.equal(payload.at_hash, leftHalfSha256(accessToken), `${alg}: at_hash`)
  }
})

t.test('RS256 when the client sets nothing', async (t) => {
  const { idToken } = await implicitIdToken(t)
  t.equal(decodeProtectedHeader(idToken).alg, 'RS256')
})

t.test('the token endpoint follows the client too', async (t) => {
  const { app } = await buildTestServer(t, { tenant: tenantWithClient('backend', { jwt_configuration: { alg: 'ES256' } }) })
  const res = await postToken(
    app,
    { grant_type: 'password', username: 'alice', password: 'wonderland', scope: 'openid' },
    { authorization: BACKEND_BASIC },
  )
  t.equal(res.statusCode, 200)
  t.equal(decodeProtectedHeader(res.json().id_token).alg, 'ES256')
  t.equal(decodeProtectedHeader(res.json().access_token).alg, 'RS256', 'access tokens follow the API, not the client')
})

t.test('an ES256 ID token is a good id_token_hint at logout', async (t) => {
  const { app, idToken, cookie } = await implicitIdToken(t, 'ES256')
  const res = await app.inject({ url: `/oidc/logout?${new URLSearchParams({ id_token_hint: idToken })}`, headers: { cookie } })
  t.equal(res.statusCode, 200)
  t.match(res.body, '<h1>You are signed out</h1>')
})
