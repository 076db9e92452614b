// /userinfo answers sub plus exactly the claims the token's scope releases (OIDC Core §5.3, §5.4).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { implicitTokens } from '../helpers/tokens.js'

const get = (app: Awaited<ReturnType<typeof buildTestServer>>['app'], token: string) =>
  app.inject({ url: '/userinfo', headers: { authorization: `Bearer ${token}` } })

t.test('openid profile email: sub, profile and email claims, never the password', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  const res = await get(app, accessToken)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['cache-control'], 'no-store')
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(res.json(), {
    sub: 'auth0|alice',
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    nickname: 'alice',
    email: 'alice@example.com',
    email_verified: true,
  })
})

t.test('openid email: only sub and the email claims', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app, { scope: 'openid email' })
  t.same((await get(app, accessToken)).json(), { sub: 'auth0|alice', email: 'alice@example.com', email_verified: true })
})

t.test('openid alone, no audience: only sub', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app, { scope: 'openid', audience: '' })
  const res = await get(app, accessToken)
  t.equal(res.statusCode, 200)
  t.same(res.json(), { sub: 'auth0|alice' })
})
