// RFC 7662 §2.2: a refresh token is active for the client it was issued to, and inactive for everyone else.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildServerWithStore } from '../helpers/server.js'
import { BACKEND_BASIC, NOW_SECONDS, postOAuth, seedRefreshToken } from '../helpers/tokens.js'

const introspect = (app: FastifyInstance, token: string) => postOAuth(app, '/oauth/introspect', { token }, { authorization: BACKEND_BASIC })

t.test('own refresh token: active, with what it grants', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  await seedRefreshToken(store, 'rt-backend')
  const res = await introspect(app, 'rt-backend')
  t.equal(res.statusCode, 200)
  t.same(res.json(), {
    active: true,
    scope: 'openid offline_access read:appointments',
    client_id: 'backend',
    sub: 'auth0|alice',
    exp: NOW_SECONDS + 3600,
    iat: NOW_SECONDS - 30,
    token_type: 'refresh_token',
  })
})

t.test("another client's refresh token: inactive, revealing nothing", async (t) => {
  const { app, store } = await buildServerWithStore(t)
  await seedRefreshToken(store, 'rt-spa', { clientId: 'organizer' })
  const res = await introspect(app, 'rt-spa')
  t.equal(res.statusCode, 200)
  t.same(res.json(), { active: false })
})
