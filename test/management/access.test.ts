// Who may call the Management API: a client_credentials token for <issuer>api/v2/, with the scope the endpoint needs.
import { SignJWT, generateKeyPair } from 'jose'
import t from 'tap'
import { MANAGEMENT_SCOPES } from '../../src/management/scopes.js'
import { ISSUER } from '../helpers/tenant.js'
import { BACKEND_BASIC, NOW_SECONDS, basicAuth, postToken, verifiedClaims } from '../helpers/tokens.js'
import {
  MANAGEMENT_AUDIENCE,
  MANAGER,
  MANAGER_SECRET,
  READER,
  READER_SECRET,
  answer,
  auth0Error,
  buildManagementServer,
  managementApi,
  managementToken,
} from './helpers.js'

const { app, clock, token } = await buildManagementServer(t)

t.test('client_credentials issues a Management API token, as Auth0 does', async (t) => {
  const res = await postToken(app, { grant_type: 'client_credentials', audience: MANAGEMENT_AUDIENCE }, { authorization: basicAuth(MANAGER, MANAGER_SECRET) })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.expires_in, 86400)
  t.equal(body.scope, MANAGEMENT_SCOPES.join(' '))
  const claims = await verifiedClaims(app, body.access_token)
  t.strictSame(claims, {
    iss: ISSUER,
    sub: `${MANAGER}@clients`,
    aud: MANAGEMENT_AUDIENCE,
    iat: NOW_SECONDS,
    exp: NOW_SECONDS + 86400,
    scope: MANAGEMENT_SCOPES.join(' '),
    jti: claims.jti,
    client_id: MANAGER,
    azp: MANAGER,
    gty: 'client-credentials',
  })
})

t.test('scopes outside the client grant are refused; a narrower request is granted', async (t) => {
  const wider = await postToken(
    app,
    { grant_type: 'client_credentials', audience: MANAGEMENT_AUDIENCE, scope: 'read:users delete:users' },
    { authorization: basicAuth(READER, READER_SECRET) },
  )
  t.equal(wider.statusCode, 400)
  t.equal(wider.json().error, 'invalid_scope')
  const narrower = await managementToken(app, MANAGER, MANAGER_SECRET, 'read:clients')
  const res = await managementApi(app, narrower).get('/users')
  t.strictSame(answer(res), auth0Error(403, 'Forbidden', 'Insufficient scope, expected any of: read:users', 'insufficient_scope'))
})

t.test('a client without a client grant for the Management API gets none', async (t) => {
  const res = await postToken(app, { grant_type: 'client_credentials', audience: MANAGEMENT_AUDIENCE }, { authorization: BACKEND_BASIC })
  t.strictSame({ status: res.statusCode, error: res.json().error }, { status: 403, error: 'access_denied' })
})

t.test('no Authorization header: 401 Missing authentication, with a Bearer challenge', async (t) => {
  const res = await app.inject({ url: '/api/v2/users' })
  t.strictSame(answer(res), auth0Error(401, 'Unauthorized', 'Missing authentication'))
  t.equal(res.headers['www-authenticate'], 'Bearer')
  const basic = await app.inject({ url: '/api/v2/users', headers: { authorization: BACKEND_BASIC } })
  t.strictSame(answer(basic), auth0Error(401, 'Unauthorized', 'Missing authentication'), 'another scheme is no bearer token')
})

const invalid = (message: string) => auth0Error(401, 'Unauthorized', message, 'invalid_token')

t.test('a token that is not one of ours: 401 invalid_token', async (t) => {
  const garbage = await managementApi(app, 'not-a-jwt').get('/users')
  t.strictSame(answer(garbage), invalid('Invalid token'))
  t.match(garbage.headers['www-authenticate'], /^Bearer error="invalid_token", error_description="Invalid token"$/)

  const twoTokens = await app.inject({ url: '/api/v2/users', headers: { authorization: `Bearer ${token} ${token}` } })
  t.strictSame(answer(twoTokens), invalid('Invalid token'))

  const { privateKey } = await generateKeyPair('RS256')
  const forged = await new SignJWT({ scope: 'read:users' })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'forged' })
    .setIssuer(ISSUER)
    .setAudience(MANAGEMENT_AUDIENCE)
    .setIssuedAt(NOW_SECONDS)
    .setExpirationTime(NOW_SECONDS + 60)
    .sign(privateKey)
  t.strictSame(answer(await managementApi(app, forged).get('/users')), invalid('Invalid signature received for JSON Web Token validation'))

  const tampered = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(342)}`
  t.strictSame(answer(await managementApi(app, tampered).get('/users')), invalid('Invalid signature received for JSON Web Token validation'))
})

t.test('a token for another API: 401 Bad audience', async (t) => {
  const res = await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC })
  const apiToken = res.json().access_token
  t.strictSame(answer(await managementApi(app, apiToken).get('/users')), invalid('Bad audience: appointments:api'))
})

t.test('an expired token: 401', async (t) => {
  const { app, clock, token } = await buildManagementServer(t)
  clock.advance(86401)
  t.strictSame(answer(await managementApi(app, token).get('/users')), invalid('Expired token received for JSON Web Token validation'))
})

t.test('the token is checked before the body is read', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/api/v2/users', headers: { 'content-type': 'application/json' }, payload: '{not json' })
  t.equal(res.statusCode, 401)
  const withToken = await app.inject({
    method: 'POST',
    url: '/api/v2/users',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    payload: '{not json',
  })
  t.strictSame(answer(withToken), auth0Error(400, 'Bad Request', 'Invalid request payload JSON format', 'invalid_body'))
})

t.test('each endpoint asks for its own scope, in Auth0\'s words', async (t) => {
  const reader = managementApi(app, await managementToken(app, READER, READER_SECRET))
  t.equal((await reader.get('/users')).statusCode, 200, 'read:users reads users')
  const cases = [
    [reader.post('/users', { connection: 'Username-Password-Authentication' }), 'create:users'],
    [reader.patch('/users/auth0%7Calice', {}), 'update:users'],
    [reader.delete('/users/auth0%7Calice'), 'delete:users'],
    [reader.get('/grants'), 'read:grants'],
    [reader.delete('/grants', { user_id: 'auth0|alice' }), 'delete:grants'],
    [reader.get('/clients'), 'read:clients'],
    [reader.post('/clients', { name: 'x' }), 'create:clients'],
    [reader.patch('/clients/organizer', {}), 'update:clients'],
    [reader.delete('/clients/organizer'), 'delete:clients'],
    [reader.post('/clients/organizer/rotate-secret'), 'update:client_keys,update:clients'],
    [reader.get('/resource-servers'), 'read:resource_servers'],
    [reader.get('/resource-servers/x'), 'read:resource_servers'],
    [reader.post('/resource-servers', { identifier: 'x' }), 'create:resource_servers'],
    [reader.patch('/resource-servers/x', {}), 'update:resource_servers'],
    [reader.delete('/resource-servers/x'), 'delete:resource_servers'],
    [reader.get('/client-grants'), 'read:client_grants'],
    [reader.post('/client-grants', {}), 'create:client_grants'],
    [reader.patch('/client-grants/x', {}), 'update:client_grants'],
    [reader.delete('/client-grants/x'), 'delete:client_grants'],
    [reader.get('/users-by-email', { email: 'a@b.co' }), undefined],
  ] as const
  for (const [pending, scope] of cases) {
    const res = await pending
    if (scope === undefined) t.equal(res.statusCode, 200)
    else t.strictSame(answer(res), auth0Error(403, 'Forbidden', `Insufficient scope, expected any of: ${scope}`, 'insufficient_scope'), scope)
  }
})

t.test('unknown paths under /api/v2 are 404 in Auth0\'s shape', async (t) => {
  const res = await managementApi(app, token).get('/nothing-here')
  t.strictSame(answer(res), auth0Error(404, 'Not Found', 'Not Found'))
})

t.test('answers are not cached', async (t) => {
  const res = await managementApi(app, token).get('/users')
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(clock.now(), clock.now())
})
