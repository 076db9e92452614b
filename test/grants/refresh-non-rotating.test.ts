// Non-rotating refresh tokens (RFC 6749 §6): the same token works again, and no new one is returned.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { ISSUER } from '../helpers/tenant.js'
import { errorOf, leftHalfSha256, NOW_SECONDS, organizerTokens, postToken, refreshGrant, verifiedClaims } from '../helpers/tokens.js'

const { app, clock } = await buildTestServer(t)
const scope = 'openid profile offline_access read:appointments'
const first = await organizerTokens(app, { scope, audience: 'appointments:api' })
const refreshToken = first.refresh_token!

const refresh = () => postToken(app, refreshGrant(refreshToken))

t.test('the same refresh token works twice', async (t) => {
  for (const step of [100, 200]) {
    clock.advance(step)
    const res = await refresh()
    t.equal(res.statusCode, 200)
    t.equal(res.headers['cache-control'], 'no-store')
    t.equal(res.headers.pragma, 'no-cache')
    const body = res.json()
    t.strictSame(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'token_type'], 'no refresh_token')
    t.equal(body.scope, scope)
    t.equal(body.expires_in, 86400)
    const now = Math.floor(clock.now() / 1000)
    t.match(await verifiedClaims(app, body.access_token), {
      sub: 'auth0|alice',
      aud: ['appointments:api', `${ISSUER}userinfo`],
      iat: now,
      exp: now + 86400,
      scope,
      azp: 'organizer',
    })
    const id = await verifiedClaims(app, body.id_token)
    t.match(id, { aud: 'organizer', auth_time: NOW_SECONDS, iat: now, at_hash: leftHalfSha256(body.access_token) })
    t.equal(id.nonce, undefined, 'no nonce on refresh (OIDC Core §12.2)')
  }
})

t.test('missing refresh_token is invalid_request', async (t) => {
  t.strictSame(errorOf(await postToken(app, { grant_type: 'refresh_token', client_id: 'organizer' })), {
    status: 400,
    error: 'invalid_request',
    error_description: 'missing required parameter: refresh_token',
  })
})

t.test('an unknown refresh token is invalid_grant', async (t) => {
  const res = await postToken(app, refreshGrant(`${refreshToken}x`))
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'invalid refresh token: unknown, expired or issued to another client',
  })
})
