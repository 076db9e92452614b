import { createHash } from 'node:crypto'
import t from 'tap'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import type { ResourceServer, User } from '../../src/config/types.js'
import { createMinter } from '../../src/tokens/mint.js'
import { profileClaims } from '../../src/tokens/claims.js'
import { createKeystoreWithMadeKeys } from '../helpers/made-keys.js'

const NOW = 1_700_000_000_000
const IAT = 1_700_000_000
const issuer = 'https://gatehouse.test/'
const clock = { now: () => NOW }
const keystore = await createKeystoreWithMadeKeys({ dir: t.testdir() })
const jwks = createLocalJWKSet(keystore.jwks())
const rsKid = keystore.signingKey('RS256').kid
const esKid = keystore.signingKey('ES256').kid

function sequentialIds(): () => string {
  let n = 0
  return () => `id-${++n}`
}
const newMinter = () => createMinter({ keystore, clock, newId: sequentialIds(), issuer })

function api(overrides: Partial<ResourceServer> = {}): ResourceServer {
  return {
    identifier: 'https://api.example.com',
    name: 'Example API',
    scopes: [{ value: 'read:items', description: 'Read items' }],
    token_lifetime: 86400,
    token_lifetime_for_web: 7200,
    signing_alg: 'RS256',
    skip_consent_for_verifiable_first_party_clients: true,
    allow_offline_access: false,
    ...overrides,
  }
}

const alice: User = {
  user_id: 'auth0|alice',
  email: 'alice@example.com',
  username: 'alice',
  password: 'correct horse battery staple',
  email_verified: true,
  name: 'Alice Liddell',
  given_name: 'Alice',
  family_name: 'Liddell',
  nickname: 'alice',
  picture: 'https://example.com/alice.png',
}

const leftHalfOfSha256 = (value: string): string =>
  createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url')

const verifyOptions = { issuer, currentDate: new Date(NOW) }

t.test('access token for an RS256 API with openid', async (t) => {
  const minted = await newMinter().accessToken({
    sub: 'auth0|alice',
    clientId: 'spa-client',
    api: api(),
    scope: ['openid', 'profile', 'read:items'],
    userinfo: true,
    lifetime: 7200,
  })
  const expectedClaims = {
    iss: issuer,
    sub: 'auth0|alice',
    aud: ['https://api.example.com', 'https://gatehouse.test/userinfo'],
    iat: IAT,
    exp: IAT + 7200,
    scope: 'openid profile read:items',
    jti: 'id-1',
    client_id: 'spa-client',
    azp: 'spa-client',
  }
  t.strictSame(decodeProtectedHeader(minted.token), { alg: 'RS256', kid: rsKid, typ: 'at+jwt' })
  t.strictSame(decodeJwt(minted.token), expectedClaims)
  t.strictSame(minted.claims, expectedClaims)
  t.equal(minted.expiresIn, 7200)
  t.equal(minted.jti, 'id-1')

  const verified = await jwtVerify(minted.token, jwks, {
    ...verifyOptions,
    audience: 'https://api.example.com',
    typ: 'at+jwt',
    algorithms: ['RS256'],
  })
  t.strictSame(verified.payload, expectedClaims)
  await t.resolves(jwtVerify(minted.token, keystore.verifier, verifyOptions), 'the keystore verifier accepts it')
})

t.test('access token for an ES256 API without openid has a string aud', async (t) => {
  const minted = await newMinter().accessToken({
    sub: 'auth0|alice',
    clientId: 'web-client',
    api: api({ signing_alg: 'ES256', identifier: 'urn:orders' }),
    scope: ['read:items'],
    userinfo: false,
    lifetime: 86400,
    gty: 'password',
  })
  t.strictSame(decodeProtectedHeader(minted.token), { alg: 'ES256', kid: esKid, typ: 'at+jwt' })
  t.strictSame(decodeJwt(minted.token), {
    iss: issuer,
    sub: 'auth0|alice',
    aud: 'urn:orders',
    iat: IAT,
    exp: IAT + 86400,
    scope: 'read:items',
    jti: 'id-1',
    client_id: 'web-client',
    azp: 'web-client',
    gty: 'password',
  })
  await t.resolves(jwtVerify(minted.token, jwks, { ...verifyOptions, audience: 'urn:orders', algorithms: ['ES256'] }))
})

t.test('client_credentials token in Auth0 shape, scope omitted when empty', async (t) => {
  const minted = await newMinter().accessToken({
    sub: 'm2m-client@clients',
    clientId: 'm2m-client',
    api: api(),
    scope: [],
    userinfo: false,
    lifetime: 86400,
    gty: 'client-credentials',
  })
  t.strictSame(decodeJwt(minted.token), {
    iss: issuer,
    sub: 'm2m-client@clients',
    aud: 'https://api.example.com',
    iat: IAT,
    exp: IAT + 86400,
    jti: 'id-1',
    client_id: 'm2m-client',
    azp: 'm2m-client',
    gty: 'client-credentials',
  })
})

t.test('without an API the token is only for /userinfo, signed RS256', async (t) => {
  const minted = await newMinter().accessToken({
    sub: 'auth0|alice',
    clientId: 'spa-client',
    scope: ['openid', 'email'],
    userinfo: true,
    lifetime: 7200,
  })
  t.strictSame(decodeProtectedHeader(minted.token), { alg: 'RS256', kid: rsKid, typ: 'at+jwt' })
  t.equal(decodeJwt(minted.token).aud, 'https://gatehouse.test/userinfo')
  await t.resolves(jwtVerify(minted.token, jwks, { ...verifyOptions, audience: 'https://gatehouse.test/userinfo' }))
})

t.test('each access token gets the next id as jti', async (t) => {
  const minter = newMinter()
  const input = { sub: 's', clientId: 'c', api: api(), scope: [], userinfo: false, lifetime: 60 }
  t.equal((await minter.accessToken(input)).jti, 'id-1')
  t.equal(decodeJwt((await minter.accessToken(input)).token).jti, 'id-2')
})

t.test('ID token with every optional claim', async (t) => {
  const accessToken = 'an-access-token'
  const code = 'an-authorization-code'
  const token = await newMinter().idToken({
    user: alice,
    clientId: 'spa-client',
    scope: ['openid', 'profile', 'email'],
    lifetime: 36000,
    authTime: IAT - 30,
    nonce: 'n-0S6_WzA2Mj',
    accessToken,
    code,
    sid: 'session-1',
  })
  const expectedClaims = {
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    nickname: 'alice',
    picture: 'https://example.com/alice.png',
    email: 'alice@example.com',
    email_verified: true,
    iss: issuer,
    sub: 'auth0|alice',
    aud: 'spa-client',
    iat: IAT,
    exp: IAT + 36000,
    auth_time: IAT - 30,
    nonce: 'n-0S6_WzA2Mj',
    at_hash: leftHalfOfSha256(accessToken),
    c_hash: leftHalfOfSha256(code),
    sid: 'session-1',
  }
  t.strictSame(decodeProtectedHeader(token), { alg: 'RS256', kid: rsKid, typ: 'JWT' })
  t.strictSame(decodeJwt(token), expectedClaims)
  const verified = await jwtVerify(token, jwks, { ...verifyOptions, audience: 'spa-client', typ: 'JWT', algorithms: ['RS256'] })
  t.strictSame(verified.payload, expectedClaims)
})

t.test('ID token with openid only carries no profile claims and no optional claims', async (t) => {
  const token = await newMinter().idToken({ user: alice, clientId: 'spa-client', scope: ['openid'], lifetime: 600 })
  t.strictSame(decodeJwt(token), { iss: issuer, sub: 'auth0|alice', aud: 'spa-client', iat: IAT, exp: IAT + 600 })
})

t.test('ID token is RS256 even when the API signs with ES256', async (t) => {
  const minter = newMinter()
  const { token: accessToken } = await minter.accessToken({
    sub: 'auth0|alice',
    clientId: 'spa-client',
    api: api({ signing_alg: 'ES256' }),
    scope: ['openid'],
    userinfo: true,
    lifetime: 60,
  })
  const idToken = await minter.idToken({ user: alice, clientId: 'spa-client', scope: ['openid'], lifetime: 60, accessToken })
  t.equal(decodeProtectedHeader(idToken).alg, 'RS256')
  // at_hash follows the ID token's alg, not the access token's
  t.equal(decodeJwt(idToken).at_hash, leftHalfOfSha256(accessToken))
})

t.test('profileClaims releases only what the scopes allow and the user has', async (t) => {
  t.strictSame(profileClaims(alice, ['openid']), {})
  t.strictSame(profileClaims(alice, ['email']), { email: 'alice@example.com', email_verified: true })
  t.strictSame(profileClaims({ user_id: 'u', password: 'p', name: 'Bob' }, ['profile', 'email']), { name: 'Bob' })
  const all = profileClaims(alice, ['openid', 'profile', 'email', 'offline_access'])
  t.notOk('password' in all)
  t.notOk('username' in all)
  t.notOk('user_id' in all)
})

t.test('refuses bad configuration and input', async (t) => {
  t.throws(() => createMinter({ keystore, clock, newId: sequentialIds(), issuer: 'https://gatehouse.test' }), /issuer must end with "\/"/)
  const minter = newMinter()
  for (const lifetime of [0, -1, 1.5, Number.NaN]) {
    await t.rejects(minter.accessToken({ sub: 's', clientId: 'c', scope: [], userinfo: true, lifetime }), RangeError)
    await t.rejects(minter.idToken({ user: alice, clientId: 'c', scope: [], lifetime }), RangeError)
  }
})

t.test('custom claims: undefined ones are left out, profile claims give way to them, protocol claims never do', async (t) => {
  const minter = newMinter()
  const extraClaims = { 'https://app.test/roles': ['admin'], name: 'From an Action', iss: 'https://evil.test/', sub: 'someone-else', jti: 'forged', gone: undefined }
  const { token: accessToken } = await minter.accessToken({
    sub: 'auth0|alice',
    clientId: 'spa-client',
    api: api(),
    scope: ['read:items'],
    userinfo: false,
    lifetime: 60,
    extraClaims,
  })
  t.strictSame(decodeJwt(accessToken), {
    'https://app.test/roles': ['admin'],
    name: 'From an Action',
    iss: issuer,
    sub: 'auth0|alice',
    aud: 'https://api.example.com',
    iat: IAT,
    exp: IAT + 60,
    scope: 'read:items',
    jti: 'id-1',
    client_id: 'spa-client',
    azp: 'spa-client',
  })
  const idToken = await minter.idToken({ user: alice, clientId: 'spa-client', scope: ['openid', 'profile'], lifetime: 60, extraClaims })
  const claims = decodeJwt(idToken)
  t.equal(claims.name, 'From an Action', 'a custom claim replaces the profile claim of the same name')
  t.equal(claims.nickname, 'alice', 'the other profile claims stay')
  t.strictSame([claims.iss, claims.sub, claims.jti, 'gone' in claims], [issuer, 'auth0|alice', undefined, false])
  t.strictSame(claims['https://app.test/roles'], ['admin'])
})
