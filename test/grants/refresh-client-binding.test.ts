// A refresh token is bound to its client (RFC 6749 §6); another client's attempt neither works nor spends it.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { tenantWithClient } from '../helpers/tenant.js'
import { BACKEND_BASIC, errorOf, organizerTokens, postToken, refreshGrant } from '../helpers/tokens.js'

const refused = {
  status: 400,
  error: 'invalid_grant',
  error_description: 'invalid refresh token: unknown, expired or issued to another client',
}

t.test('another public client gets invalid_grant; the owner still can refresh', async (t) => {
  const { app } = await buildTestServer(t)
  const { refresh_token } = await organizerTokens(app, { scope: 'openid offline_access' })
  const res = await postToken(app, refreshGrant(refresh_token!, { client_id: 'first-party' }))
  t.strictSame(errorOf(res), refused)
  const own = await postToken(app, refreshGrant(refresh_token!))
  t.equal(own.statusCode, 200)
})

t.test('a confidential client gets invalid_grant', async (t) => {
  const { app } = await buildTestServer(t)
  const { refresh_token } = await organizerTokens(app, { scope: 'openid offline_access' })
  const res = await postToken(app, { grant_type: 'refresh_token', refresh_token: refresh_token! }, { authorization: BACKEND_BASIC })
  t.strictSame(errorOf(res), refused)
})

t.test('a rotating client presenting it does not spend it', async (t) => {
  const tenant = tenantWithClient('first-party', { refresh_token: { rotation_type: 'rotating' } })
  const { app } = await buildTestServer(t, { tenant })
  const { refresh_token } = await organizerTokens(app, { scope: 'openid offline_access' })
  const res = await postToken(app, refreshGrant(refresh_token!, { client_id: 'first-party' }))
  t.strictSame(errorOf(res), refused)
  const own = await postToken(app, refreshGrant(refresh_token!))
  t.equal(own.statusCode, 200)
})
