// Codes live ttl.code seconds (60 here, as at Auth0; RFC 6749 §4.1.2 says 10 minutes at most).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { errorOf, IAT, obtainCode, organizerRequest, postToken, VERIFIER, verifiedClaims } from '../helpers/token.js'

const exchange = (code: string) => ({
  grant_type: 'authorization_code',
  client_id: 'organizer',
  code,
  redirect_uri: CALLBACK,
  code_verifier: VERIFIER,
})

t.test('59 seconds after issue the code still works', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const code = await obtainCode(app, organizerRequest())
  clock.advance(59)
  const res = await postToken(app, exchange(code))
  t.equal(res.statusCode, 200)
  t.equal((await verifiedClaims(app, res.json().access_token)).iat, IAT + 59)
})

t.test('61 seconds after issue the code is invalid_grant', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const code = await obtainCode(app, organizerRequest())
  clock.advance(61)
  t.strictSame(errorOf(await postToken(app, exchange(code))), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'invalid authorization code: unknown, expired or already used',
  })
})
