// POST /_gatehouse/tokens: tokens for an app's own validation tests — signed with the current key or the
// previous one, with a key never published, or not at all; expired or not; with any claims.
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose'
import t from 'tap'
import { NOW } from '../helpers/server.js'
import { ISSUER } from '../helpers/tenant.js'
import { getUserinfo } from '../helpers/tokens.js'
import { managementApi, managementTenant, managementToken } from '../management/helpers.js'
import { answer, buildControlledServer } from './helpers.js'

const NOW_S = NOW / 1000

async function jwksOf(app: Parameters<typeof getUserinfo>[0]) {
  return (await app.inject({ url: '/.well-known/jwks.json' })).json() as { keys: { kid: string; alg: string }[] }
}

t.test('an access token by default: the current key, typ at+jwt, this tenant’s claims, an hour long', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const res = await controls.post('tokens', { type: 'access_token' })
  t.equal(res.statusCode, 200)
  const minted = res.json()
  const jwks = await jwksOf(app)
  const header = decodeProtectedHeader(minted.token)
  t.strictSame(header, { alg: 'RS256', kid: jwks.keys.find((k) => k.alg === 'RS256')!.kid, typ: 'at+jwt' })
  t.equal(minted.kid, header.kid)
  t.equal(minted.alg, 'RS256')
  t.equal(minted.expires_at, NOW_S + 3600)
  const { payload } = await jwtVerify(minted.token, createLocalJWKSet(jwks as never), { issuer: ISSUER, typ: 'at+jwt', currentDate: new Date(NOW) })
  t.match(payload, { iss: ISSUER, sub: 'auth0|alice', aud: 'appointments:api', iat: NOW_S, exp: NOW_S + 3600, client_id: 'organizer', azp: 'organizer', jti: /\S/ })
  t.strictSame(minted.claims, payload)
})

t.test('an ID token with claims of the test’s choosing, ES256, following the moved clock', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.post('clock', { advance_seconds: 100 })
  const minted = (await controls.post('tokens', { type: 'id_token', alg: 'ES256', claims: { iss: 'https://evil.example/', nonce: 'n-1', aud: ['a', 'b'] }, expires_in: 30 })).json()
  const header = decodeProtectedHeader(minted.token)
  t.equal(header.typ, 'JWT')
  t.equal(header.alg, 'ES256')
  t.equal(header.kid, (await jwksOf(app)).keys.find((k) => k.alg === 'ES256')!.kid)
  t.strictSame(decodeJwt(minted.token), { iss: 'https://evil.example/', sub: 'auth0|alice', aud: ['a', 'b'], iat: NOW_S + 100, exp: NOW_S + 130, auth_time: NOW_S + 100, nonce: 'n-1' })
})

t.test('expired: expires_in -60 gives a token the server itself refuses as expired', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const minted = (await controls.post('tokens', { expires_in: -60, claims: { aud: `${ISSUER}userinfo`, scope: 'openid' } })).json()
  t.equal(minted.expires_at, NOW_S - 60)
  t.equal(decodeJwt(minted.token).exp, NOW_S - 60)
  const res = await getUserinfo(app, minted.token)
  t.equal(res.statusCode, 401)
  t.equal(res.json().error_description, 'the access token expired')
  const fresh = (await controls.post('tokens', { claims: { aud: `${ISSUER}userinfo`, scope: 'openid' } })).json()
  t.equal((await getUserinfo(app, fresh.token)).statusCode, 200, 'a current one is accepted')
})

t.test('unknown-key: signed by a key never published (the same one each time); none: unsecured', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const jwks = await jwksOf(app)
  const first = (await controls.post('tokens', { signing: 'unknown-key' })).json()
  const second = (await controls.post('tokens', { signing: 'unknown-key' })).json()
  t.equal(first.kid, second.kid)
  t.notOk(jwks.keys.some((k) => k.kid === first.kid), 'not in the JWKS')
  await t.rejects(jwtVerify(first.token, createLocalJWKSet(jwks as never), { currentDate: new Date(NOW) }), errors.JWKSNoMatchingKey)
  const unsecured = (await controls.post('tokens', { signing: 'none', claims: { aud: `${ISSUER}userinfo` } })).json()
  t.equal(unsecured.kid, null)
  t.equal(unsecured.alg, 'none')
  t.match(unsecured.token, /^[\w-]+\.[\w-]+\.$/)
  t.strictSame(decodeProtectedHeader(unsecured.token), { alg: 'none', typ: 'at+jwt' })
  t.equal((await getUserinfo(app, unsecured.token)).statusCode, 401, 'refused by the server')
})

t.test('previous: 409 until the keys are rotated, then the previous key, still published', async (t) => {
  const keysDir = t.testdir()
  const { app, controls } = await buildControlledServer(t, { keysDir, tenant: managementTenant() })
  t.strictSame(answer(await controls.post('tokens', { signing: 'previous' })), {
    status: 409,
    body: { error: 'no_previous_key', error_description: 'there is no previous RS256 signing key: rotate the signing keys first (Management API POST /api/v2/keys/signing/rotate)' },
  })
  const before = (await jwksOf(app)).keys.find((k) => k.alg === 'RS256')!.kid
  const rotated = await managementApi(app, await managementToken(app)).post('/keys/signing/rotate')
  t.equal(rotated.statusCode, 201)
  const minted = (await controls.post('tokens', { signing: 'previous' })).json()
  t.equal(minted.kid, before)
  const { payload } = await jwtVerify(minted.token, createLocalJWKSet((await jwksOf(app)) as never), { currentDate: new Date(NOW) })
  t.equal(payload.sub, 'auth0|alice')
})

t.test('malformed token requests: 400 naming the field', async (t) => {
  const { controls } = await buildControlledServer(t)
  const cases: [unknown, string, string][] = [
    [{ type: 'refresh_token' }, 'type', 'type must be one of "access_token", "id_token"'],
    [{ signing: 'old' }, 'signing', 'signing must be one of "current", "previous", "unknown-key", "none"'],
    [{ alg: 'HS256' }, 'alg', 'alg must be one of "RS256", "ES256"'],
    [{ expires_in: '60' }, 'expires_in', 'expires_in must be a whole number from -315360000 to 315360000'],
    [{ claims: 'sub=x' }, 'claims', 'claims must be a JSON object, not string'],
    [{ claims: { big: 'x'.repeat(9000) } }, 'claims', 'claims must be at most 8192 bytes of JSON'],
    [{ kid: 'x' }, 'kid', 'kid is not a known field (known: type, claims, expires_in, signing, alg)'],
  ]
  for (const [body, field, description] of cases) {
    t.strictSame(answer(await controls.post('tokens', body)), { status: 400, body: { error: 'invalid_request', error_description: description, field } }, JSON.stringify(body).slice(0, 40))
  }
})
