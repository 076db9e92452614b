// The code_verifier must prove the code_challenge (RFC 7636 §4.6); every failure is invalid_grant (§4.6, RFC 9700 §4.8.2).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { BACKEND_BASIC, CHALLENGE, errorOf, obtainCode, organizerRequest, postToken, VERIFIER } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const organizerExchange = (code: string, verifier?: string) => {
  const params: Record<string, string> = { grant_type: 'authorization_code', client_id: 'organizer', code, redirect_uri: CALLBACK }
  if (verifier !== undefined) params.code_verifier = verifier
  return postToken(app, params)
}

const backendRequest = (extra: Record<string, string> = {}) => ({
  client_id: 'backend',
  response_type: 'code',
  redirect_uri: CALLBACK,
  scope: 'openid',
  ...extra,
})

const backendExchange = (code: string, extra: Record<string, string> = {}) =>
  postToken(app, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...extra }, { authorization: BACKEND_BASIC })

t.test('the right verifier works', async (t) => {
  const code = await obtainCode(app, organizerRequest())
  t.equal((await organizerExchange(code, VERIFIER)).statusCode, 200)
})

const refusedVerifiers: [string, string | undefined, string][] = [
  ['a wrong verifier is invalid_grant', VERIFIER.replace(/^d/, 'e'), 'code_verifier does not match the code_challenge'],
  ['a malformed verifier is invalid_grant', 'short', 'code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]'],
  ['a missing verifier is invalid_grant', undefined, 'missing code_verifier: the authorization request used PKCE'],
]

for (const [name, verifier, description] of refusedVerifiers) {
  t.test(name, async (t) => {
    const code = await obtainCode(app, organizerRequest())
    const res = await organizerExchange(code, verifier)
    t.strictSame(errorOf(res), { status: 400, error: 'invalid_grant', error_description: description })
  })
}

t.test('the challenge itself is not a verifier', async (t) => {
  const code = await obtainCode(app, organizerRequest())
  const res = await organizerExchange(code, CHALLENGE)
  t.equal(res.statusCode, 400)
  t.equal(res.json().error, 'invalid_grant')
})

t.test('a confidential client with PKCE must also send the verifier', async (t) => {
  const code = await obtainCode(app, backendRequest({ code_challenge: CHALLENGE, code_challenge_method: 'S256' }))
  const missing = await backendExchange(code)
  t.equal(missing.json().error, 'invalid_grant')
})

t.test('a verifier for a code issued without a challenge is invalid_grant', async (t) => {
  const code = await obtainCode(app, backendRequest())
  const res = await backendExchange(code, { code_verifier: VERIFIER })
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'code_verifier given but the authorization request had no code_challenge',
  })
})

t.test('a confidential client without PKCE exchanges its code', async (t) => {
  const code = await obtainCode(app, backendRequest())
  const res = await backendExchange(code)
  t.equal(res.statusCode, 200)
  t.type(res.json().id_token, 'string')
})
