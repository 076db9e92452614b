// RFC 7009 §2.2: unknown, expired and already revoked tokens are answered with 200, since the client's aim is met.
import t from 'tap'
import { buildServerWithStore, buildTestServer, postForm } from '../helpers/server.js'
import { implicitTokens, NOW_SECONDS, seedRefreshToken } from '../helpers/tokens.js'

t.test('200 with an empty body, whatever the hint says', async (t) => {
  const { app, clock, store } = await buildServerWithStore(t)
  const { accessToken } = await implicitTokens(app)
  await seedRefreshToken(store, 'rt-expiring', { clientId: 'organizer', expiresAt: NOW_SECONDS + 10 })
  clock.advance(7200)
  const tokens = { unknown: 'no-such-token', 'not a JWT of ours': 'a.b.c', expired: accessToken, 'expired refresh token': 'rt-expiring' }
  for (const [name, token] of Object.entries(tokens)) {
    for (const hint of ['access_token', 'refresh_token', 'something_else']) {
      const res = await postForm(app, '/oauth/revoke', { client_id: 'organizer', token, token_type_hint: hint })
      t.equal(res.statusCode, 200, `${name}, hint ${hint}`)
      t.equal(res.body, '', `${name}, hint ${hint}`)
    }
  }
})

t.test('revoking twice: 200 both times', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  for (let i = 0; i < 2; i++) {
    t.equal((await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: accessToken })).statusCode, 200)
  }
})
