// RFC 7009 §2.1: the server "verifies whether the token was issued to the client making the revocation
// request. If this validation fails, the request is refused": invalid_grant (RFC 6749 §5.2), token untouched.
import t from 'tap'
import { isFamilyRevoked } from '../../src/grants/revocation.js'
import { buildServerWithStore, buildTestServer, postForm } from '../helpers/server.js'
import { BACKEND_BASIC, getUserinfo, implicitTokens, postOAuth, seedRefreshToken } from '../helpers/tokens.js'

t.test("another client's access token", async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  const res = await postOAuth(app, '/oauth/revoke', { token: accessToken }, { authorization: BACKEND_BASIC })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { error: 'invalid_grant', error_description: 'the token was not issued to client backend' })
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(res.headers['www-authenticate'], undefined)
  const userinfo = await getUserinfo(app, accessToken)
  t.equal(userinfo.statusCode, 200, 'the token still works')
})

t.test("another client's refresh token", async (t) => {
  const { app, store } = await buildServerWithStore(t)
  await seedRefreshToken(store, 'rt-backend', { family: 'fam-backend' })
  const res = await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: 'rt-backend' })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { error: 'invalid_grant', error_description: 'the token was not issued to client organizer' })
  t.ok(await store.get('refresh_token', 'rt-backend'))
  t.equal(await isFamilyRevoked(store, 'fam-backend'), false)
})
