// PKCE at /authorize: S256 only (RFC 9700 §2.1.1); plain, explicit or implied by a missing method, is refused.
import t, { type Test } from 'tap'
import { authorizeUrl, buildTestServer, queryOf, signIn } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { CHALLENGE, organizerRequest } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const refused = async (t: Test, params: Record<string, string>, description: string) => {
  const res = await app.inject({ url: authorizeUrl(params) })
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}?`), location)
  t.strictSame(queryOf(location), { error: 'invalid_request', error_description: description, state: 'st-1' })
}

t.test('S256 is accepted and yields a code', async (t) => {
  const { res } = await signIn(app, organizerRequest())
  t.equal(res.statusCode, 303)
  t.match(queryOf(String(res.headers.location)), { code: /^[\w-]{32}$/, state: 'st-1' })
})

t.test('plain is refused', async (t) => {
  await refused(
    t,
    organizerRequest({ code_challenge: CHALLENGE, code_challenge_method: 'plain' }),
    'code_challenge_method must be S256 (got plain)',
  )
})

t.test('a challenge without a method (plain by default, RFC 7636 §4.3) is refused', async (t) => {
  const params = organizerRequest()
  delete params.code_challenge_method
  await refused(t, params, 'code_challenge_method must be S256 (got none, which means plain)')
})

t.test('an unknown method is refused', async (t) => {
  await refused(t, organizerRequest({ code_challenge_method: 's256' }), 'code_challenge_method must be S256 (got s256)')
})

t.test('a method without a challenge is refused', async (t) => {
  const params = organizerRequest()
  delete params.code_challenge
  await refused(t, params, 'code_challenge_method given without code_challenge')
})
