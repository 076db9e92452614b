// A code is bound to the client it was issued to (RFC 6749 §4.1.3).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { BACKEND_BASIC, codeGrant, errorOf, obtainCode, organizerRequest, postToken, VERIFIER } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

t.test('another public client presenting the code gets invalid_grant', async (t) => {
  const code = await obtainCode(app, organizerRequest())
  const res = await postToken(app, codeGrant(code, { client_id: 'first-party' }))
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'the authorization code was issued to another client',
  })
})

t.test('a confidential client presenting a public client\'s code gets invalid_grant', async (t) => {
  const code = await obtainCode(app, organizerRequest())
  const res = await postToken(
    app,
    { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: VERIFIER },
    { authorization: BACKEND_BASIC },
  )
  t.equal(res.statusCode, 400)
  t.equal(res.json().error, 'invalid_grant')
})

t.test('an unknown code is invalid_grant', async (t) => {
  const res = await postToken(app, codeGrant('x'.repeat(32)))
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'invalid authorization code: unknown, expired or already used',
  })
})

t.test('a missing code is invalid_request', async (t) => {
  const res = await postToken(app, { grant_type: 'authorization_code', client_id: 'organizer', redirect_uri: CALLBACK })
  t.strictSame(errorOf(res), { status: 400, error: 'invalid_request', error_description: 'missing required parameter: code' })
})
