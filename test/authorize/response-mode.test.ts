// response_mode: fragment by default for tokens, never query, unknown modes refused.
import t from 'tap'
import { buildTestServer, fragmentOf, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK, tenantWithClient } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)

const base = { client_id: 'organizer', redirect_uri: CALLBACK, scope: 'openid', nonce: 'n-1', state: 'st-1' }

t.test('response_mode=query with a token is invalid_request, sent in the fragment', async (t) => {
  for (const responseType of ['token', 'id_token', 'id_token token']) {
    const res = await startAuthorize(app, { ...base, response_type: responseType, response_mode: 'query' })
    t.equal(res.statusCode, 303)
    const location = String(res.headers.location)
    t.ok(location.startsWith(`${CALLBACK}#`), responseType)
    t.strictSame(fragmentOf(location), {
      error: 'invalid_request',
      error_description: 'response_mode query is not allowed when tokens are returned from /authorize',
      state: 'st-1',
    })
  }
})

t.test('an unknown response_mode is invalid_request', async (t) => {
  for (const mode of ['jwt', 'FRAGMENT', 'fragment.jwt']) {
    const res = await startAuthorize(app, { ...base, response_type: 'token', response_mode: mode })
    t.equal(res.statusCode, 303)
    const location = String(res.headers.location)
    t.ok(location.startsWith(`${CALLBACK}#`), mode)
    t.strictSame(fragmentOf(location), {
      error: 'invalid_request',
      error_description: `unsupported response_mode: ${mode}`,
      state: 'st-1',
    })
  }
})

t.test('tokens go in the fragment by default and when asked', async (t) => {
  for (const mode of [undefined, 'fragment']) {
    const params = { ...base, response_type: 'token', ...(mode ? { response_mode: mode } : {}) }
    const { res } = await signIn(app, params)
    t.equal(res.statusCode, 303)
    const location = new URL(String(res.headers.location))
    t.equal(`${location.origin}${location.pathname}`, CALLBACK)
    t.equal(location.search, '', 'nothing in the query')
    t.equal(fragmentOf(location.href).token_type, 'Bearer')
  }
})

t.test("response_mode=web_message outside the client's web_origins is invalid_request", async (t) => {
  const { app } = await buildTestServer(t, { tenant: tenantWithClient('organizer', { web_origins: [] }) })
  const res = await startAuthorize(app, { ...base, response_type: 'id_token', response_mode: 'web_message' })
  t.equal(res.statusCode, 303)
  t.strictSame(fragmentOf(String(res.headers.location)), {
    error: 'invalid_request',
    error_description: "response_mode web_message: https://app.example.com is not one of the client's web_origins",
    state: 'st-1',
  })
})
