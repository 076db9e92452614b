// audience names an API; scopes are OIDC ones or the API's own; offline_access is dropped for the implicit grant.
import t from 'tap'
import { decodeJwt } from 'jose'
import { buildTestServer, fragmentOf, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)

const base = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'token', state: 'st-1' }

async function expectError(t: import('tap').Test, params: Record<string, string>, error: string, description: string) {
  const res = await startAuthorize(app, { ...base, ...params })
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`))
  t.strictSame(fragmentOf(location), { error, error_description: description, state: 'st-1' })
}

const errors: [string, Record<string, string>, string, string][] = [
  [
    'a scope the API does not define is invalid_scope',
    { audience: 'appointments:api', scope: 'openid delete:appointments' },
    'invalid_scope',
    'scope delete:appointments is not defined by API appointments:api',
  ],
  [
    "another API's scope is invalid_scope",
    { audience: 'appointments:api', scope: 'read:ec' },
    'invalid_scope',
    'scope read:ec is not defined by API appointments:api',
  ],
  [
    'an API scope without audience is invalid_scope and names the audience',
    { scope: 'openid read:appointments' },
    'invalid_scope',
    'scope read:appointments belongs to API appointments:api: add audience=appointments:api',
  ],
  ['a scope nobody defines is invalid_scope', { scope: 'openid admin' }, 'invalid_scope', 'unknown scope: admin'],
  ['a malformed scope value is invalid_scope', { scope: 'openid read"x' }, 'invalid_scope', 'malformed scope value: "read\\"x"'],
  [
    'an audience naming no API is access_denied',
    { audience: 'https://nope.example.com/', scope: 'openid' },
    'access_denied',
    'Service not found: https://nope.example.com/',
  ],
  ['audience matching is exact', { audience: 'Appointments:api', scope: 'openid' }, 'access_denied', 'Service not found: Appointments:api'],
]

for (const [name, params, error, description] of errors) {
  t.test(name, (t) => expectError(t, params, error, description))
}

t.test('the requested scopes are granted, in the order asked', async (t) => {
  const scope = 'write:appointments openid read:appointments'
  const { res } = await signIn(app, { ...base, audience: 'appointments:api', scope })
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.scope, scope)
  t.equal(decodeJwt(fragment.access_token!).scope, scope)
})

t.test('duplicated scopes are granted once', async (t) => {
  const { res } = await signIn(app, { ...base, audience: 'appointments:api', scope: 'openid openid read:appointments' })
  t.equal(fragmentOf(String(res.headers.location)).scope, 'openid read:appointments')
})

t.test('offline_access is left out of the implicit grant', async (t) => {
  const { res } = await signIn(app, { ...base, audience: 'appointments:api', scope: 'openid offline_access read:appointments' })
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.scope, 'openid read:appointments')
  t.equal(decodeJwt(fragment.access_token!).scope, 'openid read:appointments')
  t.notOk('refresh_token' in fragment)
})

t.test('no scope at all: no scope in the response or the token', async (t) => {
  const { res } = await signIn(app, { ...base, audience: 'appointments:api' })
  const fragment = fragmentOf(String(res.headers.location))
  t.strictSame(Object.keys(fragment).sort(), ['access_token', 'expires_in', 'state', 'token_type'])
  const claims = decodeJwt(fragment.access_token!)
  t.equal(claims.aud, 'appointments:api')
  t.notOk('scope' in claims)
})
