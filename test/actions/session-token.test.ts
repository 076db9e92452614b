// The HS256 tokens of api.redirect.encodeToken / validateToken.
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import t from 'tap'
import { encodeSessionToken, validateSessionToken } from '../../src/actions/session-token.js'

const SECRET = 'shared-secret'
const NOW = 1_700_000_000
const key = new TextEncoder().encode(SECRET)

t.test('encodeToken: a JWT any HS256 library verifies, with its payload, issuer, subject and lifetime', async (t) => {
  const token = encodeSessionToken({ secret: SECRET, payload: { email: 'a@example.com', iat: 1 }, now: NOW, expiresInSeconds: 900, issuer: 'gatehouse.test', subject: 'auth0|alice' })
  t.same(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' })
  const { payload } = await jwtVerify(token, key, { currentDate: new Date(NOW * 1000) })
  t.same(payload, { email: 'a@example.com', iat: NOW, iss: 'gatehouse.test', exp: NOW + 900, sub: 'auth0|alice' })
})

t.test('validateToken: what it accepts and why it refuses', async (t) => {
  const claims = { iat: NOW, exp: NOW + 60, iss: 'site', sub: 'auth0|alice', state: 'st' }
  const make = (fields: Record<string, unknown> = {}, secret = SECRET) => new SignJWT({ ...claims, ...fields }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret))
  const check = (token: string, extra: Partial<Parameters<typeof validateSessionToken>[0]> = {}) =>
    validateSessionToken({ token, secret: SECRET, now: NOW, state: 'st', subject: 'auth0|alice', ...extra })
  t.same(check(await make({ ok: true })), { ...claims, ok: true })
  const refusals: [string, string, Partial<Parameters<typeof validateSessionToken>[0]>, string][] = [
    ['not a JWT', 'abc', {}, 'it is not a JWT'],
    ['another alg', `${Buffer.from('{"alg":"none"}').toString('base64url')}.e30.`, {}, 'expected an HS256 signature, got "none"'],
    ['another secret', await make({}, 'other'), {}, 'the signature does not match the secret'],
    ['expired', await make(), { now: NOW + 60 }, 'the token has expired'],
    ['another state', await make({ state: 'other' }), {}, 'State in the token does not match the /continue state.'],
    ['another user', await make({ sub: 'auth0|bob' }), {}, 'Subject in the token does not match the user logging in.'],
    ['no iss', await make({ iss: undefined }), {}, 'Missing or invalid standard claims (iat, exp, iss and sub are required)'],
  ]
  for (const [what, token, extra, why] of refusals) t.throws(() => check(token, extra), { message: `The session token is invalid: ${why}` }, what)
})
