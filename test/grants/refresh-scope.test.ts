// A refresh may narrow the scope, never widen it (RFC 6749 §6); the grant itself keeps its scope.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { tenantWithClient } from '../helpers/tenant.js'
import { errorOf, organizerTokens, postToken, refreshGrant, verifiedClaims } from '../helpers/tokens.js'

const scope = 'openid offline_access read:appointments write:appointments'

const rotatingTenant = () => tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } })

t.test('narrowing works and does not shrink the grant', async (t) => {
  const { app } = await buildTestServer(t)
  const { refresh_token } = await organizerTokens(app, { scope, audience: 'appointments:api' })
  const narrow = await postToken(app, refreshGrant(refresh_token!, { scope: 'read:appointments' }))
  t.equal(narrow.statusCode, 200)
  const body = narrow.json()
  t.equal(body.scope, 'read:appointments')
  t.equal(body.id_token, undefined, 'no openid, no ID token')
  const access = await verifiedClaims(app, body.access_token)
  t.equal(access.scope, 'read:appointments')
  t.equal(access.aud, 'appointments:api')

  const full = await postToken(app, refreshGrant(refresh_token!))
  t.equal(full.json().scope, scope, 'the next refresh gets the whole grant again')
})

t.test('widening is invalid_scope', async (t) => {
  const { app } = await buildTestServer(t)
  const { refresh_token } = await organizerTokens(app, { scope: 'openid offline_access read:appointments', audience: 'appointments:api' })
  const res = await postToken(app, refreshGrant(refresh_token!, { scope: 'openid read:appointments write:appointments email' }))
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'invalid_scope',
    error_description: 'scope exceeds the original grant: write:appointments email',
  })
})

t.test('rotating: the new refresh token keeps the scope of the old one, however narrow the request', async (t) => {
  const { app } = await buildTestServer(t, { tenant: rotatingTenant() })
  const first = await organizerTokens(app, { scope, audience: 'appointments:api' })
  const narrow = await postToken(app, refreshGrant(first.refresh_token!, { scope: 'read:appointments' }))
  t.equal(narrow.statusCode, 200)
  const body = narrow.json()
  t.equal(body.scope, 'read:appointments')
  t.type(body.refresh_token, 'string', 'rotation still hands out a successor')
  const next = await postToken(app, refreshGrant(body.refresh_token))
  t.equal(next.statusCode, 200)
  t.equal(next.json().scope, scope)
})

t.test('rotating: a refused widening does not spend the token', async (t) => {
  const { app } = await buildTestServer(t, { tenant: rotatingTenant() })
  const first = await organizerTokens(app, { scope: 'openid offline_access' })
  const wide = await postToken(app, refreshGrant(first.refresh_token!, { scope: 'openid email' }))
  t.equal(wide.json().error, 'invalid_scope')
  const retry = await postToken(app, refreshGrant(first.refresh_token!))
  t.equal(retry.statusCode, 200, 'not taken for reuse')
  t.type(retry.json().refresh_token, 'string')
})
