// Revoking an access token (RFC 7009 §2.1): its jti is refused until the token would have expired anyway.
import t from 'tap'
import { decodeJwt } from 'jose'
import { buildServerWithStore, postForm } from '../helpers/server.js'
import { getUserinfo, implicitTokens } from '../helpers/tokens.js'

t.test('own access token: 200 and the token stops working', async (t) => {
  const { app, clock, store } = await buildServerWithStore(t)
  const { accessToken } = await implicitTokens(app)
  clock.advance(200)
  const res = await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: accessToken, token_type_hint: 'access_token' })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
  const userinfo = await getUserinfo(app, accessToken)
  t.equal(userinfo.statusCode, 401)
  t.equal(userinfo.json().error_description, 'the access token was revoked')

  // The revocation is kept exactly as long as the token had left to live (7200 - 200 s).
  const { jti } = decodeJwt(accessToken)
  clock.advance(7000 - 1)
  t.equal(await store.get('revoked', `jti:${jti}`), true)
  clock.advance(1)
  t.equal(await store.get('revoked', `jti:${jti}`), undefined)
})
