// Rotating refresh tokens under concurrency, and Auth0's reuse interval (refresh_token.leeway).
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { createMemoryStore } from '../../src/store/index.js'
import { buildTestServer, fakeClock, NOW } from '../helpers/server.js'
import { tenantWithClient } from '../helpers/tenant.js'
import { errorOf, organizerTokens, postToken, refreshGrant } from '../helpers/tokens.js'

const scope = 'openid offline_access'
const refresh = (app: FastifyInstance, token: string) => postToken(app, refreshGrant(token))
const REUSE = {
  status: 400,
  error: 'invalid_grant',
  error_description: 'refresh token reuse detected: every token of this login was revoked',
}

t.test('20 concurrent uses of one rotating token: one wins, the rest are reuse, and the family ends revoked', async (t) => {
  const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } })
  const { app } = await buildTestServer(t, { tenant })
  const r1 = (await organizerTokens(app, { scope })).refresh_token!
  const results = await Promise.all(Array.from({ length: 20 }, () => refresh(app, r1)))
  const won = results.filter((res) => res.statusCode === 200)
  t.equal(won.length, 1, 'the first to spend it wins')
  // The first loser finds the token spent and revokes the family; those after it find the family revoked.
  const REVOKED = { ...REUSE, error_description: 'the refresh token was revoked' }
  const lost = results.filter((res) => res.statusCode !== 200).map(errorOf)
  t.equal(lost.length, 19)
  t.ok(lost.some((error) => JSON.stringify(error) === JSON.stringify(REUSE)), 'reuse was detected')
  t.strictSame(lost.filter((error) => JSON.stringify(error) !== JSON.stringify(REUSE) && JSON.stringify(error) !== JSON.stringify(REVOKED)), [], 'and nothing else')
  t.strictSame(errorOf(await refresh(app, won[0]!.json().refresh_token)), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'the refresh token was revoked',
  }, "the winner's new token is refused")
})

t.test('the spent copy of a rotated token cannot be presented as a token', async (t) => {
  const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } })
  const { app } = await buildTestServer(t, { tenant })
  const r1 = (await organizerTokens(app, { scope })).refresh_token!
  const r2 = (await refresh(app, r1)).json().refresh_token
  t.strictSame(errorOf(await refresh(app, `spent:${r1}`)), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'invalid refresh token: unknown, expired or issued to another client',
  })
  t.equal((await refresh(app, r2)).statusCode, 200, 'the family is not revoked by it')
})

t.test('within the leeway the previous token still works, and does not revoke', async (t) => {
  const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating', leeway: 30 } })
  const { app, clock } = await buildTestServer(t, { tenant })
  const r1 = (await organizerTokens(app, { scope })).refresh_token!
  const first = await refresh(app, r1)
  t.equal(first.statusCode, 200)
  clock.advance(29)
  const again = await refresh(app, r1)
  t.equal(again.statusCode, 200, 'another tab used the previous token in time')
  t.not(again.json().refresh_token, first.json().refresh_token)
  t.equal((await refresh(app, first.json().refresh_token)).statusCode, 200, 'the family is intact')

  clock.advance(1)
  t.strictSame(errorOf(await refresh(app, r1)), REUSE, 'past the leeway it is reuse')
  t.equal((await refresh(app, again.json().refresh_token)).json().error_description, 'the refresh token was revoked')
})

t.test('without leeway, a second use in the same second is reuse', async (t) => {
  const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } })
  const { app } = await buildTestServer(t, { tenant })
  const r1 = (await organizerTokens(app, { scope })).refresh_token!
  t.equal((await refresh(app, r1)).statusCode, 200)
  t.strictSame(errorOf(await refresh(app, r1)), REUSE)
})

t.test('a replica whose clock is behind still sees a reuse as one', async (t) => {
  const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } })
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const ahead = await buildTestServer(t, { tenant }, fakeClock(NOW), { store })
  // Rotated at "ahead", then presented again at a replica 5 s behind: usedAt is in its future.
  const behind = await buildTestServer(t, { tenant }, fakeClock(NOW - 5_000), { store })
  const r1 = (await organizerTokens(ahead.app, { scope })).refresh_token!
  const r2 = (await refresh(ahead.app, r1)).json().refresh_token
  t.strictSame(errorOf(await refresh(behind.app, r1)), REUSE)
  t.equal((await refresh(ahead.app, r2)).statusCode, 400, 'and the family is revoked')
})
