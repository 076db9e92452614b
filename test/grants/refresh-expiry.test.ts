// Refresh tokens expire after ttl.refresh_token seconds (2592000 here).
import t from 'tap'
import { buildServerWithStore, buildTestServer, fakeClock, NOW } from '../helpers/server.js'
import { tenantWithClient } from '../helpers/tenant.js'
import {
  BACKEND_BASIC,
  errorOf,
  NOW_SECONDS,
  organizerTokens,
  postOAuth,
  postToken,
  refreshGrant,
  seedRefreshToken,
} from '../helpers/tokens.js'

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

t.test('expired by its record, though the store keeps it a moment longer: invalid_grant, like introspection', async (t) => {
  // Issued half a second into a second: expiresAt counts whole seconds, the store's ttl milliseconds.
  const { app, clock, store } = await buildServerWithStore(t, {}, fakeClock(NOW + 500))
  const record = await seedRefreshToken(store, 'rt-boundary')
  clock.advance(record.expiresAt - NOW_SECONDS - 0.3)
  t.strictSame((await postOAuth(app, '/oauth/introspect', { token: 'rt-boundary' }, { authorization: BACKEND_BASIC })).json(), { active: false })
  const res = await postToken(app, { grant_type: 'refresh_token', refresh_token: 'rt-boundary' }, { authorization: BACKEND_BASIC })
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'invalid refresh token: unknown, expired or issued to another client',
  })
})

t.test('rotating: new tokens keep the expiry of the first; rotation never extends a login (Auth0 absolute lifetime)', async (t) => {
  const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } })
  const { app, clock } = await buildTestServer(t, { tenant })
  const r1 = (await organizerTokens(app, { scope: 'openid offline_access' })).refresh_token!
  clock.advance(TTL - 10)
  const r2 = (await postToken(app, refreshGrant(r1))).json().refresh_token
  clock.advance(9)
  const third = await postToken(app, refreshGrant(r2))
  t.equal(third.statusCode, 200, 'one second before the first token\'s end')
  clock.advance(2)
  t.strictSame(errorOf(await postToken(app, refreshGrant(third.json().refresh_token))), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'invalid refresh token: unknown, expired or issued to another client',
  })
})
