// Refresh tokens expire after ttl.refresh_token seconds (2592000 here).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { errorOf, organizerTokens, postToken, refreshGrant } from '../helpers/tokens.js'

const TTL = 2_592_000

t.test('one second before the end it works; one second after, invalid_grant', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { refresh_token } = await organizerTokens(app, { scope: 'openid offline_access' })
  const refresh = () => postToken(app, refreshGrant(refresh_token!))
  clock.advance(TTL - 1)
  t.equal((await refresh()).statusCode, 200)
  clock.advance(2)
  t.strictSame(errorOf(await refresh()), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'invalid refresh token: unknown, expired or issued to another client',
  })
})
