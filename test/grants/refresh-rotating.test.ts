// Rotating refresh tokens: a new one on every use; presenting a used one revokes the whole family (RFC 9700 §4.14.2).
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestServer } from '../helpers/server.js'
import { tenantWithClient } from '../helpers/tenant.js'
import { errorOf, organizerTokens, postToken, refreshGrant } from '../helpers/tokens.js'

const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } })

const scope = 'openid offline_access'
const refresh = (app: FastifyInstance, token: string) => postToken(app, refreshGrant(token))

t.test('each refresh returns a new refresh token', async (t) => {
  const { app } = await buildTestServer(t, { tenant })
  const r1 = (await organizerTokens(app, { scope })).refresh_token!
  const second = await refresh(app, r1)
  t.equal(second.statusCode, 200)
  const r2 = second.json().refresh_token
  t.match(r2, /^[\w-]{48}$/)
  t.not(r2, r1)
  t.equal(second.json().scope, scope)
  const r3 = (await refresh(app, r2)).json().refresh_token
  t.match(r3, /^[\w-]{48}$/)
  t.not(r3, r2)
})

t.test('reuse of a used token is invalid_grant and revokes the family', async (t) => {
  const { app } = await buildTestServer(t, { tenant })
  const r1 = (await organizerTokens(app, { scope })).refresh_token!
  const r2 = (await refresh(app, r1)).json().refresh_token
  const r3 = (await refresh(app, r2)).json().refresh_token

  t.strictSame(errorOf(await refresh(app, r1)), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'refresh token reuse detected: every token of this login was revoked',
  })
  t.strictSame(errorOf(await refresh(app, r3)), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'the refresh token was revoked',
  }, 'the newest token fails too')
  t.equal((await refresh(app, r2)).json().error, 'invalid_grant')
})

t.test('another login is a separate family and survives', async (t) => {
  const { app } = await buildTestServer(t, { tenant })
  const a1 = (await organizerTokens(app, { scope })).refresh_token!
  const b1 = (await organizerTokens(app, { scope })).refresh_token!
  await refresh(app, a1)
  t.equal((await refresh(app, a1)).json().error, 'invalid_grant')
  t.equal((await refresh(app, b1)).statusCode, 200)
})
