// response_type: required, any order of token and id_token, unknown values refused, and the client must be allowed the grant.
import t from 'tap'
import { buildTestServer, fragmentOf, queryOf, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)

const base = { client_id: 'organizer', redirect_uri: CALLBACK, scope: 'openid', nonce: 'n-1', state: 'st-1' }

t.test('missing response_type', async (t) => {
  // No response type names a token, so the error travels in the query (as for "none"), unless a mode is asked for.
  const res = await startAuthorize(app, base)
  t.equal(res.statusCode, 303)
  t.equal(
    res.headers.location,
    `${CALLBACK}?error=invalid_request&error_description=missing+required+parameter%3A+response_type&state=st-1`,
  )
  const fragment = await startAuthorize(app, { ...base, response_mode: 'fragment' })
  const location = String(fragment.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`), 'response_mode=fragment is honoured')
  t.strictSame(fragmentOf(location), {
    error: 'invalid_request',
    error_description: 'missing required parameter: response_type',
    state: 'st-1',
  })
})

t.test('unknown values are unsupported_response_type', async (t) => {
  const res = await startAuthorize(app, { ...base, response_type: 'code token foo' })
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`))
  t.strictSame(fragmentOf(location), {
    error: 'unsupported_response_type',
    error_description: 'unsupported response_type: code token foo',
    state: 'st-1',
  })

  const upper = await startAuthorize(app, { ...base, response_type: 'TOKEN' })
  t.strictSame(queryOf(String(upper.headers.location)), {
    error: 'unsupported_response_type',
    error_description: 'unsupported response_type: TOKEN',
    state: 'st-1',
  })
})

t.test('"none" is not supported', async (t) => {
  const res = await startAuthorize(app, { ...base, response_type: 'none' })
  t.equal(res.statusCode, 303)
  t.equal(
    res.headers.location,
    `${CALLBACK}?error=unsupported_response_type&error_description=unsupported+response_type%3A+none&state=st-1`,
  )
})

t.test('a client without the implicit grant is unauthorized_client', async (t) => {
  for (const responseType of ['token', 'id_token', 'id_token token']) {
    const res = await startAuthorize(app, { ...base, client_id: 'code-only', response_type: responseType })
    t.equal(res.statusCode, 303)
    const location = String(res.headers.location)
    t.ok(location.startsWith(`${CALLBACK}#`), responseType)
    t.strictSame(fragmentOf(location), {
      error: 'unauthorized_client',
      error_description: `client code-only is not allowed the implicit grant (response_type ${responseType})`,
      state: 'st-1',
    })
  }
})

t.test('token, id_token and both in either order start the login', async (t) => {
  for (const responseType of ['token', 'id_token', 'token id_token', 'id_token token', 'token  id_token']) {
    const res = await startAuthorize(app, { ...base, response_type: responseType })
    t.equal(res.statusCode, 303, responseType)
    t.match(res.headers.location, /^\/login\/[\w-]+$/, responseType)
  }
})
