// Concurrent redemptions of one code: exactly one wins, and since the rest are replays, what the
// winner got is revoked (RFC 6749 §4.1.2), however the requests interleave.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { codeGrant, getUserinfo, obtainCode, organizerRequest, postToken, refreshGrant } from '../helpers/tokens.js'

t.test('20 concurrent redemptions: one 200, 19 invalid_grant, and the winner revoked', async (t) => {
  const { app } = await buildTestServer(t)
  const code = await obtainCode(app, organizerRequest({ scope: 'openid offline_access' }))
  const results = await Promise.all(Array.from({ length: 20 }, () => postToken(app, codeGrant(code))))

  const won = results.filter((res) => res.statusCode === 200)
  t.equal(won.length, 1)
  t.strictSame(
    results.filter((res) => res.statusCode !== 200).map((res) => [res.statusCode, res.json().error]),
    Array.from({ length: 19 }, () => [400, 'invalid_grant']),
  )
  const body = won[0]!.json()
  const userinfo = await getUserinfo(app, body.access_token)
  t.equal(userinfo.statusCode, 401, "the winner's access token is revoked")
  t.equal(userinfo.json().error, 'invalid_token')
  const refreshed = await postToken(app, refreshGrant(body.refresh_token))
  t.strictSame([refreshed.statusCode, refreshed.json().error_description], [400, 'the refresh token was revoked'])
})
