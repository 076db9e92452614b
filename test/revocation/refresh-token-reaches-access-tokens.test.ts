// Revoking a refresh token revokes the access tokens issued with its family too (RFC 7009 §2.1).
import t from 'tap'
import { buildServerWithStore, postForm } from '../helpers/server.js'
import { getUserinfo, organizerTokens, postToken, refreshGrant } from '../helpers/tokens.js'

t.test('after revoking the refresh token, access tokens from its family are refused', async (t) => {
  const { app } = await buildServerWithStore(t)
  const first = await organizerTokens(app, { scope: 'openid offline_access read:appointments', audience: 'appointments:api' })
  const refreshed = await postToken(app, refreshGrant(first.refresh_token!))
  t.equal(refreshed.statusCode, 200)
  t.equal((await getUserinfo(app, first.access_token!)).statusCode, 200)

  const revoke = await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: first.refresh_token! })
  t.equal(revoke.statusCode, 200)
  t.equal((await getUserinfo(app, first.access_token!)).statusCode, 401, 'the first access token')
  t.equal((await getUserinfo(app, refreshed.json().access_token)).statusCode, 401, 'the refreshed access token')
})
