// RFC 7662 §2.2: an active access token is described by its claims; any confidential client may ask.
import t from 'tap'
import { decodeJwt } from 'jose'
import { buildTestServer } from '../helpers/server.js'
import { BACKEND_BASIC, implicitTokens, NOW_SECONDS, postOAuth } from '../helpers/tokens.js'

t.test("the backend introspects the organizer's access token", async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  const res = await postOAuth(app, '/oauth/introspect', { token: accessToken, token_type_hint: 'access_token' }, { authorization: BACKEND_BASIC })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  t.same(res.json(), {
    active: true,
    scope: 'openid profile email',
    client_id: 'organizer',
    token_type: 'Bearer',
    exp: NOW_SECONDS + 7200,
    iat: NOW_SECONDS,
    sub: 'auth0|alice',
    aud: ['appointments:api', 'http://gatehouse.test/userinfo'],
    iss: 'http://gatehouse.test/',
    jti: decodeJwt(accessToken).jti,
  })
})
