// The demo API at <issuer>demo-api/appointments checks bearer tokens as Auth0 tells API authors to.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { createDemoTenant } from '../../src/config/demo-tenant.js'
import { DEMO_API_AUDIENCE, DEMO_API_SCOPE } from '../../src/demo-api/constants.js'
import { buildTestServer } from '../helpers/server.js'
import { ISSUER } from '../helpers/tenant.js'
import { BACKEND_BASIC, NOW_SECONDS, implicitTokens, postToken } from '../helpers/tokens.js'

const URL_PATH = '/demo-api/appointments'
const callApi = (app: FastifyInstance, authorization?: string) =>
  app.inject({ url: URL_PATH, headers: authorization === undefined ? {} : { authorization } })

async function clientCredentialsToken(app: FastifyInstance, extra: Record<string, string> = {}): Promise<string> {
  const res = await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api', ...extra }, { authorization: BACKEND_BASIC })
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.body}`)
  return res.json().access_token
}

async function passwordToken(app: FastifyInstance, audience: string, scope: string): Promise<string> {
  const res = await postToken(
    app,
    { grant_type: 'password', username: 'alice', password: 'wonderland', audience, scope },
    { authorization: BACKEND_BASIC },
  )
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.body}`)
  return res.json().access_token
}

const challenge = (error: string, description: string, extra = '') =>
  `Bearer realm="demo-api", error="${error}", error_description="${description}"${extra}`

t.test('the demo tenant defines the API the demo API serves', async (t) => {
  const api = createDemoTenant().resource_servers.find((r) => r.identifier === DEMO_API_AUDIENCE)
  t.ok(api?.scopes.some((s) => s.value === DEMO_API_SCOPE))
})

t.test('200 with the appointments for a good token', async (t) => {
  const { app } = await buildTestServer(t)
  const token = await clientCredentialsToken(app)
  const res = await callApi(app, `Bearer ${token}`)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  const body = res.json()
  t.equal(body.sub, 'backend@clients')
  t.equal(body.client_id, 'backend')
  t.strictSame(body.scope, ['read:appointments'])
  t.equal(body.appointments.length, 3)
  t.strictSame(body.appointments[0], { id: 'apt-1', title: 'Dentist check-up', starts_at: '2030-03-04T09:30:00Z', where: 'Smile Street 12' })
  t.match(body.checked[0], /^signature: RS256 with the JWKS key whose kid is [\w-]{43}$/)
  t.strictSame(body.checked.slice(1), [
    `iss is ${ISSUER}`,
    'aud includes appointments:api',
    `exp ${NOW_SECONDS + 86400} is in the future`,
    'scope includes read:appointments',
  ])
})

t.test('a user token from the browser with aud as an array (API and userinfo) is accepted', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app, { scope: 'openid read:appointments' })
  const res = await callApi(app, `Bearer ${accessToken}`)
  t.equal(res.statusCode, 200)
  t.equal(res.json().sub, 'auth0|alice')
  t.equal(res.json().client_id, 'organizer')
})

t.test('401 without a token: a bare challenge, no error code (RFC 6750 §3.1)', async (t) => {
  const { app } = await buildTestServer(t)
  for (const authorization of [undefined, 'Basic YWxpY2U6d29uZGVybGFuZA==']) {
    const res = await callApi(app, authorization)
    t.equal(res.statusCode, 401)
    t.equal(res.headers['www-authenticate'], 'Bearer realm="demo-api"')
    t.strictSame(res.json(), { error_description: 'no access token: send it in the Authorization header as "Bearer <token>"' })
  }
})

t.test('401 invalid_token for an expired token', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const token = await clientCredentialsToken(app)
  clock.advance(86400)
  const description = `the access token expired at ${new Date((NOW_SECONDS + 86400) * 1000).toISOString()}`
  const res = await callApi(app, `Bearer ${token}`)
  t.equal(res.statusCode, 401)
  t.equal(res.headers['www-authenticate'], challenge('invalid_token', description))
  t.strictSame(res.json(), { error: 'invalid_token', error_description: description })
})

t.test('401 invalid_token for a token meant for another API', async (t) => {
  const { app } = await buildTestServer(t)
  const token = await passwordToken(app, 'https://ec.example.com/', 'read:ec')
  const res = await callApi(app, `Bearer ${token}`)
  t.equal(res.statusCode, 401)
  t.equal(
    res.headers['www-authenticate'],
    challenge('invalid_token', "the access token is not meant for this API: aud must include appointments:api, got 'https://ec.example.com/'"),
  )
  t.strictSame(res.json(), {
    error: 'invalid_token',
    error_description: 'the access token is not meant for this API: aud must include appointments:api, got "https://ec.example.com/"',
  })
})

t.test('401 invalid_token for an ID token sent as an access token', async (t) => {
  const { app } = await buildTestServer(t)
  const { idToken } = await implicitTokens(app)
  const res = await callApi(app, `Bearer ${idToken}`)
  t.equal(res.statusCode, 401)
  t.equal(res.json().error_description, 'the access token is not meant for this API: aud must include appointments:api, got "organizer"')
})

t.test('401 invalid_token for a tampered token', async (t) => {
  const { app } = await buildTestServer(t)
  const token = await clientCredentialsToken(app)
  const [header, payload, signature] = token.split('.')
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
  claims.scope = 'read:appointments write:appointments'
  const tampered = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.')
  const description = 'the signature does not match: the token was changed after it was signed, or signed with another key'
  const res = await callApi(app, `Bearer ${tampered}`)
  t.equal(res.statusCode, 401)
  t.equal(res.headers['www-authenticate'], challenge('invalid_token', description))
  t.strictSame(res.json(), { error: 'invalid_token', error_description: description })
})

t.test('401 invalid_token for a key the JWKS does not have, or no JWT at all', async (t) => {
  const { app } = await buildTestServer(t)
  const token = await clientCredentialsToken(app)
  const [, payload, signature] = token.split('.')
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'unknown-kid', typ: 'at+jwt' })).toString('base64url')
  const unknownKid = await callApi(app, `Bearer ${header}.${payload}.${signature}`)
  t.equal(unknownKid.json().error_description, 'no key in the JWKS has the kid unknown-kid')
  const notJwt = await callApi(app, 'Bearer opaque-token')
  t.equal(notJwt.statusCode, 401)
  t.equal(notJwt.headers['www-authenticate'], challenge('invalid_token', 'the access token is not a well-formed signed JWT'))
})

t.test('403 insufficient_scope names the scope needed', async (t) => {
  const { app } = await buildTestServer(t)
  const token = await passwordToken(app, 'appointments:api', 'openid write:appointments')
  const description = 'the access token lacks the scope read:appointments (it has: openid write:appointments)'
  const res = await callApi(app, `Bearer ${token}`)
  t.equal(res.statusCode, 403)
  t.equal(res.headers['www-authenticate'], challenge('insufficient_scope', description, ', scope="read:appointments"'))
  t.strictSame(res.json(), { error: 'insufficient_scope', error_description: description })
})

t.test('400 invalid_request for a malformed Authorization header or a token in the URL', async (t) => {
  const { app } = await buildTestServer(t)
  const twoTokens = await callApi(app, 'Bearer a b')
  t.equal(twoTokens.statusCode, 400)
  t.equal(
    twoTokens.headers['www-authenticate'],
    challenge('invalid_request', 'the Authorization header must hold exactly one token after Bearer'),
  )
  const inQuery = await app.inject({ url: `${URL_PATH}?access_token=abc` })
  t.equal(inQuery.statusCode, 400)
  t.equal(inQuery.json().error, 'invalid_request')
})
