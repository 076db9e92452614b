// A refresh token comes only with offline_access, for clients with the refresh_token grant and APIs that allow it.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildTestServer } from '../helpers/server.js'
import { appointmentsApi, testTenant } from '../helpers/tenant.js'
import { codeGrant, obtainCode, organizerRequest, postToken } from '../helpers/tokens.js'

const tokensFor = async (app: FastifyInstance, extra: Record<string, string>) => {
  const request = organizerRequest(extra)
  const code = await obtainCode(app, request)
  const res = await postToken(app, codeGrant(code, { client_id: request.client_id! }))
  if (res.statusCode !== 200) throw new Error(res.body)
  return res.json()
}

t.test('offline_access granted: a refresh token', async (t) => {
  const { app } = await buildTestServer(t)
  const body = await tokensFor(app, { scope: 'openid offline_access' })
  t.match(body.refresh_token, /^[\w-]{48}$/)
  t.equal(body.scope, 'openid offline_access')
})

t.test('offline_access with an API that allows it: a refresh token', async (t) => {
  const { app } = await buildTestServer(t)
  const body = await tokensFor(app, { scope: 'openid offline_access read:appointments', audience: 'appointments:api' })
  t.type(body.refresh_token, 'string')
  t.equal(body.scope, 'openid offline_access read:appointments')
})

t.test('no offline_access: no refresh token', async (t) => {
  const { app } = await buildTestServer(t)
  const body = await tokensFor(app, { scope: 'openid' })
  t.equal(body.refresh_token, undefined)
  t.notOk('refresh_token' in body)
})

t.test('a client without the refresh_token grant gets none, and offline_access is not granted', async (t) => {
  const { app } = await buildTestServer(t)
  const body = await tokensFor(app, { client_id: 'code-only', scope: 'openid offline_access' })
  t.notOk('refresh_token' in body)
  t.equal(body.scope, 'openid')
})

t.test('an API with allow_offline_access false gets none', async (t) => {
  const tenant = testTenant()
  tenant.resource_servers = [{ ...appointmentsApi, allow_offline_access: false }]
  const { app } = await buildTestServer(t, { tenant })
  const body = await tokensFor(app, { scope: 'openid offline_access read:appointments', audience: 'appointments:api' })
  t.notOk('refresh_token' in body)
  t.equal(body.scope, 'openid read:appointments')
})
