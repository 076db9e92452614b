// Hybrid flow (OIDC Core §3.3): the fragment by default; the ID token binds the code (c_hash) and the token (at_hash).
import t, { type Test } from 'tap'
import { buildTestServer, fragmentOf, signIn } from '../helpers/server.js'
import { CALLBACK, ISSUER } from '../helpers/tenant.js'
import { leftHalfSha256, NOW_SECONDS, organizerRequest, verifiedClaims } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

async function hybrid(t: Test, responseType: string) {
  const { res } = await signIn(app, organizerRequest({ response_type: responseType }))
  t.equal(res.statusCode, 303, responseType)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`), `${responseType}: fragment by default`)
  t.equal(new URL(location).search, '', `${responseType}: nothing in the query`)
  return fragmentOf(location)
}

t.test('code id_token: c_hash, no at_hash', async (t) => {
  const out = await hybrid(t, 'code id_token')
  t.strictSame(Object.keys(out).sort(), ['code', 'id_token', 'state'])
  const claims = await verifiedClaims(app, out.id_token!)
  t.equal(claims.c_hash, leftHalfSha256(out.code!))
  t.equal(claims.at_hash, undefined)
  t.equal(claims.nonce, 'n-1')
  t.equal(claims.aud, 'organizer')
  t.equal(claims.iss, ISSUER)
  t.equal(claims.sub, 'auth0|alice')
  t.equal(claims.iat, NOW_SECONDS)
})

t.test('code token: access token in the fragment, no ID token', async (t) => {
  const out = await hybrid(t, 'code token')
  t.strictSame(Object.keys(out).sort(), ['access_token', 'code', 'expires_in', 'scope', 'state', 'token_type'])
  t.equal(out.token_type, 'Bearer')
  t.equal(out.expires_in, '7200')
  t.equal(out.scope, 'openid profile')
})

t.test('code id_token token: c_hash and at_hash', async (t) => {
  const out = await hybrid(t, 'code id_token token')
  t.strictSame(Object.keys(out).sort(), ['access_token', 'code', 'expires_in', 'id_token', 'scope', 'state', 'token_type'])
  const claims = await verifiedClaims(app, out.id_token!)
  t.equal(claims.c_hash, leftHalfSha256(out.code!))
  t.equal(claims.at_hash, leftHalfSha256(out.access_token!))
  t.not(claims.c_hash, claims.at_hash)
  t.equal(claims.nonce, 'n-1')
})

t.test('order of the values does not matter', async (t) => {
  const out = await hybrid(t, 'token id_token code')
  const claims = await verifiedClaims(app, out.id_token!)
  t.equal(claims.c_hash, leftHalfSha256(out.code!))
  t.equal(claims.at_hash, leftHalfSha256(out.access_token!))
})

t.test('form_post delivers the same parameters', async (t) => {
  const { res } = await signIn(app, organizerRequest({ response_type: 'code id_token', response_mode: 'form_post' }))
  t.equal(res.statusCode, 200)
  t.match(res.body, /name="code"/)
  t.match(res.body, /name="id_token"/)
})

t.test('response_mode=query is refused for hybrids', async (t) => {
  const res = await app.inject({
    url: `/authorize?${new URLSearchParams(organizerRequest({ response_type: 'code id_token', response_mode: 'query' }))}`,
  })
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`), 'the error goes to the fragment')
  t.strictSame(fragmentOf(location), {
    error: 'invalid_request',
    error_description: 'response_mode query is not allowed when tokens are returned from /authorize',
    state: 'st-1',
  })
})
