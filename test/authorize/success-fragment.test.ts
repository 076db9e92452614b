// A successful implicit response: exact fragment, and tokens whose headers, claims and signatures are right.
import t, { type Test } from 'tap'
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose'
import { buildTestServer, fragmentOf, jwksOf, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK, ISSUER } from '../helpers/tenant.js'
import { ALICE_CLAIMS, leftHalfSha256, NOW_SECONDS } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)
const jwks = await jwksOf(app)
const keys = (await app.inject({ url: '/.well-known/jwks.json' })).json<{ keys: JWK[] }>().keys
const kidOf = (alg: string) => keys.find((k) => k.alg === alg)!.kid
const USERINFO = `${ISSUER}userinfo`

const base = {
  client_id: 'organizer',
  redirect_uri: CALLBACK,
  audience: 'appointments:api',
  nonce: 'n-0S6_WzA2Mj',
  state: 'af0ifjsldkj',
}

/** Claims of every ID token here, before the scope's claims and at_hash. */
const idClaims = {
  iss: ISSUER,
  sub: 'auth0|alice',
  aud: 'organizer',
  iat: NOW_SECONDS,
  exp: NOW_SECONDS + 36000,
  auth_time: NOW_SECONDS,
  nonce: 'n-0S6_WzA2Mj',
}

async function fragmentFor(t: Test, params: Record<string, string>) {
  const { res } = await signIn(app, { ...base, ...params })
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`), location)
  t.equal(res.headers['cache-control'], 'no-store')
  return fragmentOf(location)
}

t.test('token id_token: fragment, access token and ID token', async (t) => {
  const scope = 'openid profile email read:appointments'
  const fragment = await fragmentFor(t, { response_type: 'token id_token', scope })
  t.strictSame(Object.keys(fragment).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'state', 'token_type'])
  t.equal(fragment.token_type, 'Bearer')
  t.equal(fragment.expires_in, '7200')
  t.equal(fragment.scope, scope)
  t.equal(fragment.state, 'af0ifjsldkj')

  const accessToken = fragment.access_token!
  t.strictSame(decodeProtectedHeader(accessToken), { alg: 'RS256', kid: kidOf('RS256'), typ: 'at+jwt' })
  const { payload: at } = await jwtVerify(accessToken, jwks, {
    issuer: ISSUER,
    audience: 'appointments:api',
    typ: 'at+jwt',
    currentDate: new Date(NOW_SECONDS * 1000),
  })
  t.type(at.jti, 'string')
  t.ok(String(at.jti).length >= 16)
  t.strictSame(at, {
    iss: ISSUER,
    sub: 'auth0|alice',
    aud: ['appointments:api', USERINFO],
    iat: NOW_SECONDS,
    exp: NOW_SECONDS + 7200,
    scope,
    jti: at.jti,
    client_id: 'organizer',
    azp: 'organizer',
  })

  const idToken = fragment.id_token!
  t.strictSame(decodeProtectedHeader(idToken), { alg: 'RS256', kid: kidOf('RS256'), typ: 'JWT' })
  const { payload: id } = await jwtVerify(idToken, jwks, {
    issuer: ISSUER,
    audience: 'organizer',
    currentDate: new Date(NOW_SECONDS * 1000),
  })
  t.strictSame(id, { ...ALICE_CLAIMS, ...idClaims, at_hash: leftHalfSha256(accessToken) })
  t.notOk('password' in id)
})

t.test('the order of response_type values does not matter', async (t) => {
  const a = await fragmentFor(t, { response_type: 'id_token token', scope: 'openid' })
  const b = await fragmentFor(t, { response_type: 'token id_token', scope: 'openid' })
  t.strictSame(Object.keys(a).sort(), Object.keys(b).sort())
  t.equal(decodeJwt(a.id_token!).at_hash, leftHalfSha256(a.access_token!))
})

t.test('id_token alone: no access token, no at_hash', async (t) => {
  const fragment = await fragmentFor(t, { response_type: 'id_token', scope: 'openid', audience: '' })
  t.strictSame(Object.keys(fragment).sort(), ['id_token', 'state'])
  const { payload } = await jwtVerify(fragment.id_token!, jwks, { issuer: ISSUER, audience: 'organizer', currentDate: new Date(NOW_SECONDS * 1000) })
  t.strictSame(payload, idClaims)
})

t.test('profile claims only with profile, email claims only with email', async (t) => {
  const profile = decodeJwt((await fragmentFor(t, { response_type: 'id_token', scope: 'openid profile' })).id_token!)
  t.strictSame(
    Object.keys(profile).sort(),
    ['aud', 'auth_time', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'name', 'nickname', 'nonce', 'sub'],
  )
  const email = decodeJwt((await fragmentFor(t, { response_type: 'id_token', scope: 'openid email' })).id_token!)
  t.strictSame(Object.keys(email).sort(), ['aud', 'auth_time', 'email', 'email_verified', 'exp', 'iat', 'iss', 'nonce', 'sub'])
  t.equal(email.email, 'alice@example.com')
})

t.test('token without openid: aud is the API identifier, as a string', async (t) => {
  const fragment = await fragmentFor(t, { response_type: 'token', scope: 'read:appointments' })
  t.strictSame(Object.keys(fragment).sort(), ['access_token', 'expires_in', 'scope', 'state', 'token_type'])
  const claims = decodeJwt(fragment.access_token!)
  t.equal(claims.aud, 'appointments:api')
  t.equal(claims.scope, 'read:appointments')
})

t.test('token without audience: a token for /userinfo', async (t) => {
  const fragment = await fragmentFor(t, { response_type: 'token', scope: 'openid profile', audience: '' })
  t.equal(fragment.expires_in, '7200')
  const { payload } = await jwtVerify(fragment.access_token!, jwks, { issuer: ISSUER, currentDate: new Date(NOW_SECONDS * 1000) })
  t.equal(payload.aud, USERINFO)
  t.equal(payload.exp, NOW_SECONDS + 7200)
})

t.test('an ES256 API signs with ES256 and its own lifetime', async (t) => {
  const fragment = await fragmentFor(t, {
    response_type: 'token id_token',
    audience: 'https://ec.example.com/',
    scope: 'openid read:ec',
  })
  t.equal(fragment.expires_in, '600')
  t.strictSame(decodeProtectedHeader(fragment.access_token!), { alg: 'ES256', kid: kidOf('ES256'), typ: 'at+jwt' })
  const { payload } = await jwtVerify(fragment.access_token!, jwks, {
    issuer: ISSUER,
    audience: 'https://ec.example.com/',
    algorithms: ['ES256'],
    currentDate: new Date(NOW_SECONDS * 1000),
  })
  t.strictSame(payload.aud, ['https://ec.example.com/', USERINFO])
  t.equal(payload.exp, NOW_SECONDS + 600)
  // the ID token stays RS256, and at_hash uses its alg's hash
  t.equal(decodeProtectedHeader(fragment.id_token!).alg, 'RS256')
  t.equal(decodeJwt(fragment.id_token!).at_hash, leftHalfSha256(fragment.access_token!))
})

t.test('state comes back exactly, and is omitted when not sent', async (t) => {
  const state = 'a b&c=d/é?#%'
  t.equal((await fragmentFor(t, { response_type: 'token', scope: 'openid', state })).state, state)
  const noState = await fragmentFor(t, { response_type: 'token', scope: 'openid', state: '' })
  t.notOk('state' in noState)
})

t.test('a callback with a query keeps it, tokens go in the fragment', async (t) => {
  const { res } = await signIn(app, {
    ...base,
    redirect_uri: 'https://app.example.com/other?keep=1',
    response_type: 'token',
    scope: 'openid',
  })
  const url = new URL(String(res.headers.location))
  t.equal(`${url.origin}${url.pathname}${url.search}`, 'https://app.example.com/other?keep=1')
  t.equal(fragmentOf(url.href).token_type, 'Bearer')
})

t.test('each response has a fresh jti', async (t) => {
  const { cookie } = await signIn(app, { ...base, response_type: 'token', scope: 'openid' })
  const again = async () => {
    const res = await startAuthorize(app, { ...base, response_type: 'token', scope: 'openid' }, cookie)
    return decodeJwt(fragmentOf(String(res.headers.location)).access_token!).jti
  }
  t.not(await again(), await again())
})
