// /userinfo answers sub plus exactly the claims the token's scope releases (OIDC Core §5.3, §5.4).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { ALICE_CLAIMS, getUserinfo, implicitTokens } from '../helpers/tokens.js'

t.test('openid profile email: sub, profile and email claims, never the password', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  const res = await getUserinfo(app, accessToken)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json(), { sub: 'auth0|alice', ...ALICE_CLAIMS })
})

t.test('openid email: only sub and the email claims', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app, { scope: 'openid email' })
  t.same((await getUserinfo(app, accessToken)).json(), { sub: 'auth0|alice', email: 'alice@example.com', email_verified: true })
})

t.test('openid alone, no audience: only sub', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app, { scope: 'openid', audience: '' })
  const res = await getUserinfo(app, accessToken)
  t.equal(res.statusCode, 200)
  t.same(res.json(), { sub: 'auth0|alice' })
})
