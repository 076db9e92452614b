// /api/v2/keys/signing: Auth0's signing keys and their rotation. The JWKS publishes exactly the current,
// next and previous keys; a token signed before a rotation verifies after it, and stops verifying once
// its key is revoked.
import { createPublicKey, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWK } from 'jose'
import t, { type Test } from 'tap'
import { createEventLog } from '../../src/events/event-log.js'
import { buildServer } from '../../src/server.js'
import { createMemoryStore } from '../../src/store/index.js'
import { fakeClock, NOW } from '../helpers/server.js'
import { ecApi, ISSUER, testConfig } from '../helpers/tenant.js'
import { BACKEND_BASIC, postToken } from '../helpers/tokens.js'
import { answer, auth0Error, managementApi, managementTenant, managementToken, MANAGER, MANAGER_SECRET, READER, READER_SECRET } from './helpers.js'
import { madeKey } from '../helpers/made-keys.js'

const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString()

/** A server with its own keys directory (rotations must not touch other tests' keys) and an event log. */
async function build(t: Test, keysDir = t.testdir()) {
  const clock = fakeClock()
  const store = createMemoryStore({ clock })
  const events = createEventLog({ clock })
  const tenant = managementTenant()
  tenant.client_grants.push({ client_id: 'backend', audience: ecApi.identifier, scope: ['read:ec'] })
  const app = await buildServer(testConfig({ tenant, keysDir }), { clock, logger: false, store, events, generateKey: madeKey })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  const token = await managementToken(app)
  return { app, clock, events, keysDir, token, api: managementApi(app, token) }
}

const put = (app: FastifyInstance, path: string, token: string) =>
  app.inject({ method: 'PUT', url: `/api/v2${path}`, headers: { authorization: `Bearer ${token}` } })
const published = async (app: FastifyInstance) => (await app.inject({ url: '/.well-known/jwks.json' })).json<{ keys: JWK[] }>().keys
const kidsOf = (keys: JWK[]) => keys.map((k) => `${k.alg} ${k.kid}`)

/** An access token from client_credentials for backend: appointments:api is RS256, the EC API ES256. */
async function apiToken(app: FastifyInstance, audience = 'appointments:api'): Promise<string> {
  const res = await postToken(app, { grant_type: 'client_credentials', audience }, { authorization: BACKEND_BASIC })
  if (res.statusCode !== 200) throw new Error(`no token: ${res.body}`)
  return res.json().access_token as string
}

/** true, or jose's error code, verifying against the JWKS the server publishes now. */
async function verification(app: FastifyInstance, token: string): Promise<true | string> {
  const keys = createLocalJWKSet({ keys: await published(app) })
  return jwtVerify(token, keys, { issuer: ISSUER, currentDate: new Date(NOW) }).then(
    () => true as const,
    (err: unknown) => (err instanceof errors.JOSEError ? err.code : String(err)),
  )
}

const AUTH0_FIELDS = ['kid', 'cert', 'pkcs7', 'current', 'next', 'previous', 'current_since', 'current_until', 'fingerprint', 'thumbprint', 'revoked', 'revoked_at']
const roles = (keys: Record<string, unknown>[]) =>
  keys.map((k) => ['current', 'next', 'previous', 'revoked'].filter((role) => k[role] === true).join(','))

t.test('GET /keys/signing: the current and the next key, in Auth0’s shape, with a certificate each', async (t) => {
  const { app, api, keysDir } = await build(t)
  const jwks = await published(app)
  const jwksResponse = await app.inject({ url: '/.well-known/jwks.json' })
  t.equal(jwksResponse.headers['cache-control'], 'public, max-age=15', 'kept briefly: rotation and revocation change it at runtime')
  t.strictSame(jwks.map((k) => k.alg), ['RS256', 'ES256', 'RS256', 'ES256'], 'JWKS: the current keys, then the next ones')

  const res = await api.get('/keys/signing')
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const [current, next, ...rest] = res.json() as Record<string, any>[]
  t.equal(rest.length, 0, "one entry per generation: the RS256 keys, as Auth0's tenant keys")
  t.strictSame(Object.keys(current!), AUTH0_FIELDS.filter((f) => !['current_until', 'revoked_at'].includes(f)))
  t.strictSame(Object.keys(next!), AUTH0_FIELDS.filter((f) => !['current_since', 'current_until', 'revoked_at'].includes(f)))
  t.match(current, { kid: jwks[0]!.kid, current: true, next: false, previous: false, revoked: false, current_since: at(0) })
  t.match(next, { kid: jwks[2]!.kid, current: false, next: true, previous: false, revoked: false })

  for (const [key, jwk] of [[current!, jwks[0]!], [next!, jwks[2]!]] as const) {
    t.match(key.cert, /^-----BEGIN CERTIFICATE-----\r\n[A-Za-z0-9+/=\r\n]+\r\n-----END CERTIFICATE-----$/, 'PEM with CRLF, as Auth0')
    t.match(key.pkcs7, /^-----BEGIN PKCS7-----\r\n[A-Za-z0-9+/=\r\n]+\r\n-----END PKCS7-----$/)
    const x509 = new X509Certificate(key.cert)
    t.equal(x509.subject, 'CN=gatehouse.test', "the issuer's host, as Auth0 names the tenant")
    t.equal(x509.issuer, x509.subject, 'self-signed')
    t.ok(x509.verify(x509.publicKey), 'signed by the key itself')
    t.ok(x509.publicKey.equals(createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })), 'the published key')
    t.equal(new Date(x509.validFrom).getTime(), NOW, 'valid from the key’s creation')
    t.equal(key.fingerprint, x509.fingerprint, 'SHA-1 fingerprint')
    t.equal(key.thumbprint, x509.fingerprint.replaceAll(':', ''))
  }

  const secret = (JSON.parse(await readFile(join(keysDir, `signing-key.${current!.kid}.private.jwk.json`), 'utf8')) as JWK).d!
  t.notOk(res.body.includes(secret), 'never a private key')
  t.strictSame((await api.get('/keys/signing')).json(), res.json(), 'the same certificates every time')

  t.strictSame(answer(await api.get(`/keys/signing/${current!.kid}`)), { status: 200, body: current })
  const ec = (await api.get(`/keys/signing/${jwks[1]!.kid}`)).json()
  t.match(ec, { kid: jwks[1]!.kid, current: true, next: false, current_since: at(0) }, 'the ES256 key of the generation, by its kid')
  t.equal(new X509Certificate(ec.cert).publicKey.asymmetricKeyType, 'ec')
  t.strictSame(answer(await api.get('/keys/signing/no-such-kid')), auth0Error(404, 'Not Found', 'Signing key not found.'))
})

t.test('rotate, then revoke: what the JWKS publishes, what verifies, what the listing says', async (t) => {
  const { app, api, clock, events, token: oldManagementToken } = await build(t)
  const [rsCurrent, esCurrent, rsNext, esNext] = await published(app)
  const rsToken = await apiToken(app)
  const esToken = await apiToken(app, ecApi.identifier)
  t.equal(decodeProtectedHeader(rsToken).kid, rsCurrent!.kid)
  t.equal(decodeProtectedHeader(esToken).kid, esCurrent!.kid)

  clock.advance(60)
  const rotation = await api.post('/keys/signing/rotate')
  t.equal(rotation.statusCode, 201)
  t.strictSame(Object.keys(rotation.json()), ['cert', 'kid'])
  t.equal(rotation.json().kid, rsNext!.kid, 'the key that was next, now current')
  t.equal(rotation.json().cert, (await api.get(`/keys/signing/${rsNext!.kid}`)).json().cert)

  const afterRotation = await published(app)
  t.equal(afterRotation.length, 6)
  t.strictSame(
    kidsOf(afterRotation),
    kidsOf([rsNext!, esNext!, afterRotation[2]!, afterRotation[3]!, rsCurrent!, esCurrent!]),
    'JWKS: the new current keys, the new next keys, the previous keys',
  )
  t.notOk([rsCurrent, esCurrent, rsNext, esNext].some((k) => k!.kid === afterRotation[2]!.kid || k!.kid === afterRotation[3]!.kid), 'new next keys')

  const listed = (await api.get('/keys/signing')).json() as Record<string, any>[]
  t.strictSame(roles(listed), ['current', 'next', 'previous'])
  t.match(listed[0], { kid: rsNext!.kid, current_since: at(60) })
  t.notOk('current_until' in listed[0]!)
  t.match(listed[1], { kid: afterRotation[2]!.kid })
  t.match(listed[2], { kid: rsCurrent!.kid, current_since: at(0), current_until: at(60), revoked: false })

  t.equal(decodeProtectedHeader(await apiToken(app)).kid, rsNext!.kid, 'new RS256 tokens are signed with the new current key')
  t.equal(decodeProtectedHeader(await apiToken(app, ecApi.identifier)).kid, esNext!.kid, 'and ES256 ones')
  t.equal(await verification(app, rsToken), true, 'a token signed before the rotation still verifies against the JWKS')
  t.equal(await verification(app, esToken), true)
  t.equal((await managementApi(app, oldManagementToken).get('/keys/signing')).statusCode, 200, 'and Gatehouse still accepts it')

  const refuse = (message: string) => auth0Error(400, 'Bad Request', message)
  t.strictSame(answer(await put(app, `/keys/signing/${rsNext!.kid}/revoke`, oldManagementToken)), refuse('Only the previous signing key can be revoked; this one is the current key.'))
  t.strictSame(answer(await put(app, `/keys/signing/${afterRotation[3]!.kid}/revoke`, oldManagementToken)), refuse('Only the previous signing key can be revoked; this one is the next key.'))
  t.strictSame(answer(await put(app, '/keys/signing/no-such-kid/revoke', oldManagementToken)), auth0Error(404, 'Not Found', 'Signing key not found.'))
  t.equal((await published(app)).length, 6, 'nothing changed')

  clock.advance(60)
  const token = await managementToken(app)
  const revocation = await put(app, `/keys/signing/${rsCurrent!.kid}/revoke`, token)
  t.equal(revocation.statusCode, 200)
  t.strictSame(revocation.json(), { cert: listed[2]!.cert, kid: rsCurrent!.kid })
  t.strictSame(kidsOf(await published(app)), kidsOf(afterRotation.slice(0, 4)), 'JWKS: current and next; the revoked generation left at once, ES256 key too')
  t.equal(await verification(app, rsToken), 'ERR_JWKS_NO_MATCHING_KEY', 'a token signed with the revoked key no longer verifies')
  t.equal(await verification(app, esToken), 'ERR_JWKS_NO_MATCHING_KEY')
  t.strictSame(
    answer(await managementApi(app, oldManagementToken).get('/keys/signing')),
    auth0Error(401, 'Unauthorized', 'Invalid signature received for JSON Web Token validation', 'invalid_token'),
    'Gatehouse refuses it too',
  )

  const afterRevocation = (await managementApi(app, token).get('/keys/signing')).json() as Record<string, any>[]
  t.strictSame(roles(afterRevocation), ['current', 'next', 'revoked'])
  t.match(afterRevocation[2], { kid: rsCurrent!.kid, previous: false, revoked: true, revoked_at: at(120), current_until: at(60) })
  t.strictSame(Object.keys(afterRevocation[2]!), AUTH0_FIELDS)
  t.strictSame(answer(await put(app, `/keys/signing/${rsCurrent!.kid}/revoke`, token)), refuse('The signing key is already revoked.'))
  t.match((await managementApi(app, token).get(`/keys/signing/${esCurrent!.kid}`)).json(), { revoked: true, revoked_at: at(120) })

  t.strictSame(
    events
      .list()
      .filter((e) => e.kind === 'management.changed' && e.summary.includes('/keys/signing/'))
      .map((e) => ({ client_id: e.client_id, summary: e.summary })),
    [
      { client_id: MANAGER, summary: 'Management API: POST /keys/signing/rotate answered 201' },
      { client_id: MANAGER, summary: `Management API: PUT /keys/signing/${rsCurrent!.kid}/revoke answered 200` },
    ],
  )
})

t.test('a second rotation revokes the older previous key; the ES256 kid revokes its generation', async (t) => {
  const { app, api, clock } = await build(t)
  const [first] = await published(app)
  clock.advance(10)
  await api.post('/keys/signing/rotate')
  clock.advance(10)
  const second = (await api.post('/keys/signing/rotate')).json().kid as string
  // The token from the start was signed with the first key, revoked now: a new one.
  t.equal((await api.get('/keys/signing')).statusCode, 401)
  const keys = (await managementApi(app, await managementToken(app)).get('/keys/signing')).json() as Record<string, any>[]
  t.strictSame(roles(keys), ['current', 'next', 'previous', 'revoked'])
  t.match(keys[3], { kid: first!.kid, revoked: true, revoked_at: at(20) })
  t.notOk((await published(app)).some((k) => k.kid === first!.kid), 'it left the JWKS')
  t.equal(keys[0]!.kid, second)

  const previousEc = (await published(app))[5]!
  t.equal(previousEc.alg, 'ES256')
  t.equal((await put(app, `/keys/signing/${previousEc.kid}/revoke`, await managementToken(app))).json().kid, previousEc.kid)
  const after = await managementApi(app, await managementToken(app)).get('/keys/signing')
  t.strictSame(roles(after.json()), ['current', 'next', 'revoked', 'revoked'], after.body.slice(0, 300))
  t.equal((await published(app)).length, 4)
})

t.test('each endpoint asks for its scope', async (t) => {
  const { app, token } = await build(t)
  const reader = await managementToken(app, READER, READER_SECRET)
  const kid = (await published(app))[0]!.kid!
  const forbidden = (scopes: string) => auth0Error(403, 'Forbidden', `Insufficient scope, expected any of: ${scopes}`, 'insufficient_scope')
  t.strictSame(answer(await managementApi(app, reader).get('/keys/signing')), forbidden('read:signing_keys'))
  t.strictSame(answer(await managementApi(app, reader).get(`/keys/signing/${kid}`)), forbidden('read:signing_keys'))
  t.strictSame(answer(await put(app, `/keys/signing/${kid}/revoke`, reader)), forbidden('update:signing_keys'))
  t.strictSame(
    answer(await managementApi(app, reader).post('/keys/signing/rotate')),
    auth0Error(403, 'Forbidden', 'Insufficient scope, expected all of: create:signing_keys,update:signing_keys', 'insufficient_scope'),
  )
  for (const one of ['create:signing_keys', 'update:signing_keys']) {
    const narrow = await managementToken(app, MANAGER, MANAGER_SECRET, one)
    t.strictSame(
      answer(await managementApi(app, narrow).post('/keys/signing/rotate')),
      auth0Error(403, 'Forbidden', 'Insufficient scope, expected all of: create:signing_keys,update:signing_keys', 'insufficient_scope'),
      `rotation needs both scopes, not only ${one}`,
    )
  }
  const anonymous = await app.inject({ method: 'POST', url: '/api/v2/keys/signing/rotate' })
  t.strictSame(answer(anonymous), auth0Error(401, 'Unauthorized', 'Missing authentication'))
  t.equal(anonymous.headers['www-authenticate'], 'Bearer')
  t.equal((await published(app)).length, 4, 'nothing rotated')
  t.equal((await managementApi(app, token).get('/keys/signing')).json().length, 2)
})

t.test('rotations and certificates survive a restart', async (t) => {
  const keysDir = t.testdir()
  const first = await build(t, keysDir)
  await first.api.post('/keys/signing/rotate')
  const listed = (await first.api.get('/keys/signing')).json()
  const jwks = await published(first.app)
  await first.app.close()

  const again = await build(t, keysDir)
  t.strictSame(await published(again.app), jwks)
  t.strictSame((await again.api.get('/keys/signing')).json(), listed, 'the same certificates, fingerprints and times')
})
