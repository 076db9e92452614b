// The tenant's default_audience (Auth0's "Default Audience" setting) stands in for an omitted audience:
// client_credentials, the password grant and /authorize.
import t from 'tap'
import { decodeJwt } from 'jose'
import { buildTestServer, fragmentOf, signIn } from '../helpers/server.js'
import { CALLBACK, testTenant } from '../helpers/tenant.js'
import { BACKEND_BASIC, errorOf, postToken, verifiedClaims } from '../helpers/tokens.js'

const tenant = { ...testTenant(), default_audience: 'appointments:api' }
const { app } = await buildTestServer(t, { tenant })

t.test('client_credentials without audience gets a token for the default audience', async (t) => {
  // Before: 400 invalid_request "missing required parameter: audience".
  const res = await postToken(app, { grant_type: 'client_credentials' }, { authorization: BACKEND_BASIC })
  t.equal(res.statusCode, 200)
  t.equal(res.json().scope, 'read:appointments')
  const claims = await verifiedClaims(app, res.json().access_token)
  t.equal(claims.aud, 'appointments:api')
  t.equal(claims.sub, 'backend@clients')
})

t.test('an explicit audience still wins over the default', async (t) => {
  const res = await postToken(app, { grant_type: 'client_credentials', audience: 'https://ec.example.com/' }, { authorization: BACKEND_BASIC })
  t.strictSame(errorOf(res), {
    status: 403,
    error: 'access_denied',
    error_description: 'client backend has no client grant for https://ec.example.com/',
  })
})

t.test('the default audience still needs a client grant', async (t) => {
  const other = { ...testTenant(), default_audience: 'https://ec.example.com/' }
  const { app } = await buildTestServer(t, { tenant: other })
  const res = await postToken(app, { grant_type: 'client_credentials' }, { authorization: BACKEND_BASIC })
  t.strictSame(errorOf(res), {
    status: 403,
    error: 'access_denied',
    error_description: 'client backend has no client grant for https://ec.example.com/',
  })
})

t.test('the password grant uses it', async (t) => {
  const res = await postToken(
    app,
    { grant_type: 'password', username: 'alice', password: 'wonderland', scope: 'openid read:appointments' },
    { authorization: BACKEND_BASIC },
  )
  t.equal(res.statusCode, 200)
  t.equal(res.json().scope, 'openid read:appointments', 'API scopes are known without naming the audience')
  t.strictSame(decodeJwt(res.json().access_token).aud, ['appointments:api', 'http://gatehouse.test/userinfo'])
})

t.test('/authorize uses it', async (t) => {
  const { res } = await signIn(app, {
    client_id: 'first-party',
    redirect_uri: CALLBACK,
    response_type: 'token',
    scope: 'read:appointments',
    state: 's',
  })
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.scope, 'read:appointments')
  t.equal(decodeJwt(fragment.access_token!).aud, 'appointments:api')
})

t.test('without a default, /authorize without audience gives a /userinfo token as before', async (t) => {
  const { app } = await buildTestServer(t)
  const { res } = await signIn(app, {
    client_id: 'first-party',
    redirect_uri: CALLBACK,
    response_type: 'token',
    scope: 'openid',
    state: 's',
  })
  t.equal(decodeJwt(fragmentOf(String(res.headers.location)).access_token!).aud, 'http://gatehouse.test/userinfo')
})
