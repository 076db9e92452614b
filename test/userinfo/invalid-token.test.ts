// A token that is not good for /userinfo: 401 invalid_token with the reason in the challenge and the body (RFC 6750 §3.1).
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildServerWithStore, buildTestServer, postForm } from '../helpers/server.js'
import { getUserinfo, implicitTokens } from '../helpers/tokens.js'

async function expectInvalidToken(t: Test, res: LightMyRequestResponse, description: string) {
  t.equal(res.statusCode, 401)
  t.equal(
    res.headers['www-authenticate'],
    `Bearer realm="gatehouse", error="invalid_token", error_description="${description}"`,
  )
  t.same(res.json(), { error: 'invalid_token', error_description: description })
  t.equal(res.headers['cache-control'], 'no-store')
}

t.test('not a JWT from this server', async (t) => {
  const { app } = await buildTestServer(t)
  await expectInvalidToken(t, await getUserinfo(app, 'not.a.jwt'), 'the access token is not valid: JWS Protected Header is invalid')
})

t.test('expired: 7200 s after issue (token_lifetime_for_web)', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  clock.advance(7200)
  await expectInvalidToken(t, await getUserinfo(app, accessToken), 'the access token expired')
})

t.test('revoked at /oauth/revoke', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  t.equal((await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: accessToken })).statusCode, 200)
  await expectInvalidToken(t, await getUserinfo(app, accessToken), 'the access token was revoked')
})

t.test('no userinfo audience: openid was not requested', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app, { response_type: 'token', scope: 'read:appointments' })
  await expectInvalidToken(
    t,
    await getUserinfo(app, accessToken),
    'the access token is not meant for /userinfo: its aud does not include http://gatehouse.test/userinfo (request the openid scope)',
  )
})

t.test('the user was deleted after the token was issued', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  const { accessToken } = await implicitTokens(app)
  await store.delete('user', 'auth0|alice')
  await expectInvalidToken(t, await getUserinfo(app, accessToken), 'the user of this access token no longer exists')
})
