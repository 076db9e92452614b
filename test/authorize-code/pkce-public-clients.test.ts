// Public clients must use PKCE for any response type with code (RFC 9700 §2.1.1); confidential ones may go without.
import t from 'tap'
import { authorizeUrl, buildTestServer, fragmentOf, queryOf, signIn } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { organizerRequest } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const withoutPkce = (extra: Record<string, string> = {}) => {
  const params = organizerRequest(extra)
  delete params.code_challenge
  delete params.code_challenge_method
  return params
}

const expected = {
  error: 'invalid_request',
  error_description: 'code_challenge is required: public clients must use PKCE (S256)',
  state: 'st-1',
}

t.test('a public client without code_challenge gets invalid_request', async (t) => {
  const res = await app.inject({ url: authorizeUrl(withoutPkce()) })
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}?`), location)
  t.strictSame(queryOf(location), expected)
})

t.test('the same holds for a hybrid response type', async (t) => {
  const res = await app.inject({ url: authorizeUrl(withoutPkce({ response_type: 'code id_token' })) })
  t.equal(res.statusCode, 303)
  t.strictSame(fragmentOf(String(res.headers.location)), expected)
})

t.test('implicit needs no PKCE', async (t) => {
  const res = await app.inject({ url: authorizeUrl(withoutPkce({ response_type: 'id_token' })) })
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, /^\/login\//)
})

t.test('the confidential client backend may go without PKCE', async (t) => {
  const { res } = await signIn(app, {
    client_id: 'backend',
    response_type: 'code',
    redirect_uri: CALLBACK,
    scope: 'openid',
    state: 'st-1',
  })
  t.equal(res.statusCode, 303)
  const query = queryOf(String(res.headers.location))
  t.strictSame(Object.keys(query).sort(), ['code', 'state'])
})
