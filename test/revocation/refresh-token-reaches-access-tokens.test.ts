// Revoking a refresh token revokes the access tokens issued with its family too (RFC 7009 §2.1).
import t from 'tap'
import { postForm } from '../helpers/server.js'
import { buildServerWithStore, organizerTokens, postToken } from '../helpers/token.js'

t.test('after revoking the refresh token, access tokens from its family are refused', async (t) => {
  const { app } = await buildServerWithStore(t)
  const first = await organizerTokens(app, { scope: 'openid offline_access read:appointments', audience: 'appointments:api' })
  const refreshed = await postToken(app, { grant_type: 'refresh_token', client_id: 'organizer', refresh_token: first.refresh_token! })
  t.equal(refreshed.statusCode, 200)
  const userinfo = (token: string) => app.inject({ url: '/userinfo', headers: { authorization: `Bearer ${token}` } })
  t.equal((await userinfo(first.access_token!)).statusCode, 200)

  const revoke = await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: first.refresh_token! })
  t.equal(revoke.statusCode, 200)
  t.equal((await userinfo(first.access_token!)).statusCode, 401, 'the first access token')
  t.equal((await userinfo(refreshed.json().access_token)).statusCode, 401, 'the refreshed access token')
})
