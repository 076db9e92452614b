// A code or refresh token whose user was deleted since is invalid_grant (RFC 6749 §5.2).
import t from 'tap'
import { buildServerWithStore } from '../helpers/server.js'
import { codeGrant, errorOf, obtainCode, organizerRequest, organizerTokens, postToken, refreshGrant } from '../helpers/tokens.js'

t.test('authorization code of a deleted user', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  const code = await obtainCode(app, organizerRequest())
  await store.delete('user', 'auth0|alice')
  t.strictSame(errorOf(await postToken(app, codeGrant(code))), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'the user of this authorization code no longer exists',
  })
})

t.test('refresh token of a deleted user', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  const { refresh_token } = await organizerTokens(app, { scope: 'openid offline_access' })
  await store.delete('user', 'auth0|alice')
  t.strictSame(errorOf(await postToken(app, refreshGrant(refresh_token!))), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'the user of this refresh token no longer exists',
  })
})
