// Codes live ttl.code seconds (60 here, as at Auth0; RFC 6749 §4.1.2 says 10 minutes at most).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { codeGrant, errorOf, NOW_SECONDS, obtainCode, organizerRequest, postToken, verifiedClaims } from '../helpers/tokens.js'

t.test('59 seconds after issue the code still works', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const code = await obtainCode(app, organizerRequest())
  clock.advance(59)
  const res = await postToken(app, codeGrant(code))
  t.equal(res.statusCode, 200)
  t.equal((await verifiedClaims(app, res.json().access_token)).iat, NOW_SECONDS + 59)
})

t.test('61 seconds after issue the code is invalid_grant', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const code = await obtainCode(app, organizerRequest())
  clock.advance(61)
  t.strictSame(errorOf(await postToken(app, codeGrant(code))), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'invalid authorization code: unknown, expired or already used',
  })
})
