// RFC 7662 §2.2: anything not currently usable is just { "active": false }, with 200.
import t from 'tap'
import { revokeFamily } from '../../src/grants/revocation.js'
import { createMemoryStore } from '../../src/store/memory.js'
import { buildTestServer, fakeClock, postForm } from '../helpers/server.js'
import { BACKEND_AUTH, implicitTokens, NOW_SECONDS, seedRefreshToken } from '../helpers/tokens.js'

t.test('unknown, malformed, expired, revoked, rotated: all inactive', async (t) => {
  const clock = fakeClock()
  const store = createMemoryStore({ clock })
  const { app } = await buildTestServer(t, {}, clock, { store })
  const revoked = await implicitTokens(app)
  await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: revoked.accessToken })
  const expired = await implicitTokens(app)
  await seedRefreshToken(store, 'rt-family-revoked', { family: 'fam-x' })
  await revokeFamily(store, 'fam-x', 3600, NOW_SECONDS)
  await seedRefreshToken(store, 'rt-rotated', { family: 'fam-y', usedAt: NOW_SECONDS - 5 })
  await seedRefreshToken(store, 'rt-short', { family: 'fam-z', expiresAt: NOW_SECONDS + 60 })
  clock.advance(7200)

  const tokens = {
    unknown: 'no-such-token',
    malformed: 'a.b.c',
    'revoked access token': revoked.accessToken,
    'expired access token': expired.accessToken,
    'refresh token of a revoked family': 'rt-family-revoked',
    'rotated refresh token': 'rt-rotated',
    'expired refresh token': 'rt-short',
  }
  for (const [name, token] of Object.entries(tokens)) {
    const res = await app.inject({
      method: 'POST',
      url: '/oauth/introspect',
      headers: { authorization: BACKEND_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token }).toString(),
    })
    t.equal(res.statusCode, 200, name)
    t.same(res.json(), { active: false }, name)
  }
})
