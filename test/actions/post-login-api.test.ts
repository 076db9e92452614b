// What each post-login `api` method does to the tokens, the user record and the cache.
import t from 'tap'
import type { User } from '../../src/config/types.js'
import type { StoredUser } from '../../src/tenant/users.js'
import { signIn } from '../helpers/server.js'
import { alice, testTenant } from '../helpers/tenant.js'
import { actionServer, EVENT_CLAIM, IMPLICIT, postLogin, tokensOf } from './helpers.js'

const tenantWith = (user: Partial<User>) => {
  const tenant = testTenant()
  tenant.users = tenant.users.map((u) => (u.user_id === alice.user_id ? { ...u, ...user } : u))
  return tenant
}

t.test('custom claims in both tokens; scopes added and removed', async (t) => {
  const tenant = tenantWith({ app_metadata: { plan: 'team' }, user_metadata: { favorite_color: 'teal' } })
  const { app } = await actionServer(t, [postLogin('claims', 'add-claims.js')], { tenant })
  const { res } = await signIn(app, IMPLICIT)
  const { id, access, fragment } = tokensOf(res.headers.location!)
  t.equal(id['https://gatehouse.test/favorite_color'], 'teal')
  t.equal(access['https://gatehouse.test/plan'], 'team')
  t.equal(access.tier, 'gold')
  t.equal(access.scope, 'openid profile email write:appointments')
  t.equal(fragment.scope, 'openid profile email write:appointments', 'the response names what was issued')
  t.equal(access.sub, 'auth0|alice')
})

t.test('metadata: later Actions see the changes, the user record keeps them when the flow ends', async (t) => {
  const tenant = tenantWith({ app_metadata: { legacy_id: 'L-1', plan: 'team' } })
  const { app, store } = await actionServer(t, [postLogin('metadata', 'metadata.js'), postLogin('echo', 'echo-event.js')], { tenant })
  const { res } = await signIn(app, IMPLICIT)
  const event = tokensOf(res.headers.location!).id[EVENT_CLAIM] as { user: StoredUser }
  t.same(event.user.app_metadata, { plan: 'team', visits: 1 })
  t.same(event.user.user_metadata, { theme: 'dark' })
  const stored = (await store.get<StoredUser>('user', 'auth0|alice'))!
  t.same(stored.app_metadata, { plan: 'team', visits: 1 })
  t.same(stored.user_metadata, { theme: 'dark' })
  t.equal(stored.updated_at, '2023-11-14T22:13:20.000Z')
  t.equal(stored.password, 'wonderland', 'the rest of the record is kept')

  await signIn(app, IMPLICIT)
  t.same((await store.get<StoredUser>('user', 'auth0|alice'))!.app_metadata, { plan: 'team', visits: 2 })
})

t.test('api.cache lasts across executions until its ttl, on the server clock', async (t) => {
  const { app, clock } = await actionServer(t, [postLogin('cache', 'cache-counter.js')])
  const cacheOf = async () => tokensOf((await signIn(app, IMPLICIT)).res.headers.location!).id['https://gatehouse.test/cache']
  t.same(await cacheOf(), {
    count: 1,
    written: 'success',
    expires_at: clock.now() + 60_000,
    missing: null,
    refused: { type: 'error', code: 'invalid_value' },
  })
  t.match(await cacheOf(), { count: 2 })
  clock.advance(61)
  t.match(await cacheOf(), { count: 1 }, 'expired')
})

t.test("Auth0's custom claim rules: restricted names and Auth0 namespaces are refused and logged", async (t) => {
  const { app, logs } = await actionServer(t, [postLogin('claims', 'restricted-claims.js')])
  const { res } = await signIn(app, IMPLICIT)
  const { id, access } = tokensOf(res.headers.location!)
  t.equal(id.sub, 'auth0|alice')
  t.equal(access.sub, 'auth0|alice')
  t.equal(access.scope, 'openid profile email read:appointments')
  for (const claims of [id, access]) {
    t.equal(claims['https://gatehouse.test/allowed'], 'yes')
    t.equal(claims.plain, 'non-namespaced claims are allowed')
    for (const refused of ['roles', 'https://auth0.com/claim', 'https://my-tenant.auth0.com/claim', 'urn:auth0:claim']) t.notOk(refused in claims, refused)
  }
  t.equal(id.email, 'alice@work.example.com', 'profile claims may be set')
  const warnings = logs().filter((line) => line.level === 40 && line.msg.startsWith('Action')).map((line) => line.msg)
  t.equal(warnings.length, 12)
  t.ok(warnings.includes('Action "claims" (post-login): custom claim "sub" not added to the ID token: "sub" is one of the claims Auth0 restricts'))
  t.ok(warnings.includes('Action "claims" (post-login): custom claim "https://my-tenant.auth0.com/claim" not added to the access token: my-tenant.auth0.com is an Auth0 domain, which cannot be a namespace (auth0.com, webtask.io, webtask.run)'))
  t.ok(warnings.includes('Action "claims" (post-login): custom claim "urn:auth0:claim" not added to the access token: the urn:auth0 namespace is reserved by Auth0'))
  t.ok(warnings.includes('Action "claims" (post-login): custom claim "scope" not added to the access token: "scope" is set from the granted scopes (use api.accessToken.addScope / removeScope)'))
})

t.test('custom claims past 100 KB fail the login, as in Auth0', async (t) => {
  const { app } = await actionServer(t, [postLogin('big', 'big-claims.js')])
  const { res } = await signIn(app, IMPLICIT)
  const error = Object.fromEntries(new URLSearchParams(new URL(res.headers.location!).hash.slice(1)))
  t.same(error, {
    error: 'server_error',
    error_description: "the custom claims of the access token take 112674 bytes, more than Auth0's limit of 102400",
    state: 'st-1',
  })
})

t.test('api methods for features Gatehouse has not got are accepted and logged', async (t) => {
  const { app, logs } = await actionServer(t, [postLogin('mfa', 'unsupported-api.js')])
  const { res } = await signIn(app, IMPLICIT)
  t.equal(tokensOf(res.headers.location!).id['https://gatehouse.test/rule_ran'], false)
  const warnings = logs().filter((line) => line.level === 40 && line.msg.startsWith('Action')).map((line) => line.msg)
  t.same(warnings, [
    'Action "mfa" (post-login) called api.multifactor.enable, which Gatehouse does not support: ignored',
    'Action "mfa" (post-login) called api.authentication.challengeWith, which Gatehouse does not support: ignored',
  ])
})

t.test('an ES module Action, and what Actions write to the console goes to the log', async (t) => {
  const { app, logs } = await actionServer(t, [postLogin('esm', 'esm-action.mjs'), postLogin('talk', 'console-output.js')])
  const { res } = await signIn(app, IMPLICIT)
  const { access } = tokensOf(res.headers.location!)
  t.equal(access['https://gatehouse.test/module'], 'esm')
  t.match(access['https://gatehouse.test/user_hash'], /^[0-9a-f]{8}$/)
  // the thread's output reaches Gatehouse a moment later
  for (let i = 0; i < 50 && !logs().some((line) => line.msg.startsWith('Action output: a warning')); i++) await new Promise((r) => setTimeout(r, 20))
  const output = logs().filter((line) => line.msg.startsWith('Action output: '))
  t.same(
    output.map((line) => [line.level, line.msg]),
    [
      [30, 'Action output: signing in alice@example.com'],
      [40, 'Action output: a warning from the Action'],
    ],
  )
})
