// redirect_uri must repeat the authorization request's, when that named one (RFC 6749 §4.1.3).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { errorOf, obtainCode, organizerRequest, postToken, VERIFIER } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const OTHER = 'https://app.example.com/other?keep=1'
const mismatch = {
  status: 400,
  error: 'invalid_grant',
  error_description: 'redirect_uri does not match the one used in the authorization request',
}

const exchange = (code: string, redirectUri?: string, clientId = 'organizer') => {
  const params: Record<string, string> = { grant_type: 'authorization_code', client_id: clientId, code, code_verifier: VERIFIER }
  if (redirectUri !== undefined) params.redirect_uri = redirectUri
  return postToken(app, params)
}

t.test('the same redirect_uri works, query included', async (t) => {
  const code = await obtainCode(app, organizerRequest({ redirect_uri: OTHER }))
  t.equal((await exchange(code, OTHER)).statusCode, 200)
})

t.test('another registered callback is invalid_grant', async (t) => {
  const code = await obtainCode(app, organizerRequest())
  t.strictSame(errorOf(await exchange(code, OTHER)), mismatch)
})

t.test('a differing string for the same URL is invalid_grant', async (t) => {
  const code = await obtainCode(app, organizerRequest())
  t.strictSame(errorOf(await exchange(code, `${CALLBACK}/`)), mismatch)
  const again = await obtainCode(app, organizerRequest())
  t.strictSame(errorOf(await exchange(again, CALLBACK.toUpperCase())), mismatch)
})

t.test('omitting it when it was given at /authorize is invalid_grant', async (t) => {
  const code = await obtainCode(app, organizerRequest())
  t.strictSame(errorOf(await exchange(code)), mismatch)
})

t.test('when /authorize had none (one callback), it may be omitted or repeated exactly', async (t) => {
  const request = organizerRequest({ client_id: 'single' })
  delete request.redirect_uri
  const omitted = await obtainCode(app, request)
  t.equal((await exchange(omitted, undefined, 'single')).statusCode, 200)
  const repeated = await obtainCode(app, request)
  t.equal((await exchange(repeated, CALLBACK, 'single')).statusCode, 200)
  const other = await obtainCode(app, request)
  t.strictSame(errorOf(await exchange(other, OTHER, 'single')), mismatch)
})
