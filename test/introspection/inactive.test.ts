// RFC 7662 §2.2: anything not currently usable is just { "active": false }, with 200.
import t from 'tap'
import { revokeFamily } from '../../src/grants/revocation.js'
import { buildServerWithStore, postForm } from '../helpers/server.js'
import { BACKEND_BASIC, implicitTokens, NOW_SECONDS, postOAuth, seedRefreshToken } from '../helpers/tokens.js'

t.test('unknown, malformed, expired, revoked, rotated: all inactive', async (t) => {
  const { app, clock, store } = await buildServerWithStore(t)
  const revoked = await implicitTokens(app)
  await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: revoked.accessToken })
  const expired = await implicitTokens(app)
  await seedRefreshToken(store, 'rt-family-revoked', { family: 'fam-x' })
  await revokeFamily(store, 'fam-x', 3600)
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
    const res = await postOAuth(app, '/oauth/introspect', { token }, { authorization: BACKEND_BASIC })
    t.equal(res.statusCode, 200, name)
    t.same(res.json(), { active: false }, name)
  }
})
