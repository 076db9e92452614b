// RBAC in tokens through the password grant: enforce_policies narrows the API scopes to what the user
// is permitted, an *_authz dialect adds `permissions`; OIDC scopes always stay.
import t from 'tap'
import { buildRbacServer, carol, passwordTokens, READ, WRITE } from './helpers.js'

const ASKED = `openid profile ${READ} ${WRITE}`

t.test('RBAC off (Auth0\'s defaults): every requested scope, no permissions claim', async (t) => {
  const { app } = await buildRbacServer(t, {})
  const { body, claims } = await passwordTokens(app, 'alice', 'wonderland', ASKED)
  t.equal(body.scope, ASKED)
  t.equal(claims.scope, ASKED)
  t.notOk('permissions' in claims)
})

t.test('enforce_policies: only the API scopes the user is permitted, and no permissions claim', async (t) => {
  const { app } = await buildRbacServer(t, { enforce_policies: true, token_dialect: 'access_token' })
  const alice = await passwordTokens(app, 'alice', 'wonderland', ASKED)
  t.equal(alice.body.scope, `openid profile ${READ}`)
  t.equal(alice.claims.scope, `openid profile ${READ}`)
  t.notOk('permissions' in alice.claims)
  const bob = await passwordTokens(app, 'bob', 'builder', ASKED)
  t.equal(bob.body.scope, ASKED)
  const none = await passwordTokens(app, carol.username, carol.password, `openid offline_access ${READ}`)
  t.equal(none.body.scope, 'openid offline_access', 'OIDC scopes stay when no API scope is permitted')
  const unasked = await passwordTokens(app, 'bob', 'builder', `openid ${WRITE}`)
  t.equal(unasked.body.scope, `openid ${WRITE}`, 'a permission not asked for is not granted')
})

t.test('access_token_authz: permissions lists all the user\'s permissions at the API, whatever was asked', async (t) => {
  const { app } = await buildRbacServer(t, { enforce_policies: false, token_dialect: 'access_token_authz' })
  const alice = await passwordTokens(app, 'alice', 'wonderland', `openid ${WRITE}`)
  t.equal(alice.body.scope, `openid ${WRITE}`, 'without enforce_policies the scopes are not narrowed')
  t.strictSame(alice.claims.permissions, [READ])
  const bob = await passwordTokens(app, 'bob', 'builder', 'openid')
  t.strictSame(bob.claims.permissions, [READ, WRITE], 'direct and through roles, each once, sorted')
  const none = await passwordTokens(app, carol.username, carol.password, 'openid')
  t.strictSame(none.claims.permissions, [], 'an empty list, as Auth0 sends it')
})

t.test('enforce_policies with access_token_authz: narrowed scopes and permissions', async (t) => {
  const { app } = await buildRbacServer(t, { enforce_policies: true, token_dialect: 'access_token_authz' })
  const { body, claims } = await passwordTokens(app, 'alice', 'wonderland', ASKED)
  t.equal(body.scope, `openid profile ${READ}`)
  t.strictSame(claims.permissions, [READ])
  t.equal(claims.aud instanceof Array ? claims.aud[0] : claims.aud, 'appointments:api')
})

t.test('rfc9068_profile_authz adds permissions too; rfc9068_profile does not', async (t) => {
  const authz = await buildRbacServer(t, { enforce_policies: true, token_dialect: 'rfc9068_profile_authz' })
  t.strictSame((await passwordTokens(authz.app, 'bob', 'builder', READ)).claims.permissions, [READ, WRITE])
  const plain = await buildRbacServer(t, { enforce_policies: true, token_dialect: 'rfc9068_profile' })
  const { body, claims } = await passwordTokens(plain.app, 'alice', 'wonderland', `${READ} ${WRITE}`)
  t.equal(body.scope, READ)
  t.notOk('permissions' in claims)
})
