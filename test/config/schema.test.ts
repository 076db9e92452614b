import t from 'tap'
import { createDemoTenant } from '../../src/config/demo-tenant.js'
import { isHttpUrl, isOrigin } from '../../src/config/formats.js'
import { checkConfigFile, checkTenant, formatPath } from '../../src/config/schema.js'
import { isScopeToken } from '../../src/scopes/scopes.js'

t.test('JSON pointers read as JS paths', async (t) => {
  t.equal(formatPath(''), '')
  t.equal(formatPath('/clients/0/callbacks/1'), 'clients[0].callbacks[1]')
  t.equal(formatPath('/ttl/code'), 'ttl.code')
  t.equal(formatPath('/a~1b/c d'), '["a/b"]["c d"]')
})

t.test('origins are scheme://host[:port] only', async (t) => {
  for (const ok of ['http://localhost:3000', 'https://app.example.test']) t.ok(isOrigin(ok), ok)
  for (const bad of ['http://localhost:3000/', 'http://localhost:3000/app', 'https://x.test?q', 'ftp://x.test', 'x.test', 'https://u:p@x.test']) {
    t.notOk(isOrigin(bad), bad)
  }
})

t.test('issuers are http(s) URLs without query or fragment', async (t) => {
  t.ok(isHttpUrl('https://id.example.test/tenant'))
  for (const bad of ['https://id.example.test/?', 'https://id.example.test/#', 'urn:x', ' http://x.test', 'http://a b.test']) {
    t.notOk(isHttpUrl(bad), bad)
  }
})

t.test('scope tokens follow RFC 6749 §3.3', async (t) => {
  for (const ok of ['openid', 'read:items', 'https://api.example.test/read', '!#[]~']) t.ok(isScopeToken(ok), ok)
  for (const bad of ['', 'read items', 'say"hi"', 'back\\slash', 'tab\t', 'é']) t.notOk(isScopeToken(bad), bad)
})

t.test('the first shape problem is reported', async (t) => {
  t.same(checkConfigFile({ clients: [{ client_id: 'a', name: 'A', grant_types: ['implicit', 'implicit'] }] }), {
    ok: false,
    issue: { path: 'clients[0].grant_types', message: 'must not repeat a value (items 0 and 1 are equal)' }
  })
  t.same(checkConfigFile({ clients: [{ client_id: 'a', name: 'A', app_type: 'web' }] }), {
    ok: false,
    issue: { path: 'clients[0].app_type', message: 'must be one of spa, native, regular_web, non_interactive' }
  })
  t.same(checkConfigFile({ port: 1 }), { ok: true, file: { port: 1 } })
})

t.test('the demo tenant passes the tenant checks', async (t) => {
  t.equal(checkTenant(createDemoTenant()), undefined)
})

t.test('tenant checks', async (t) => {
  const tenant = createDemoTenant()
  tenant.users.push({ user_id: 'auth0|carol', password: 'x' })
  t.same(checkTenant(tenant), { path: 'users[2]', message: 'needs an email or a username to sign in with' })

  const usernames = createDemoTenant()
  usernames.users.push({ user_id: 'auth0|alice2', username: 'ALICE', password: 'x' })
  t.same(checkTenant(usernames), { path: 'users[2].username', message: '"ALICE" is already used by users[0]' })

  const scopes = createDemoTenant()
  scopes.resource_servers[0]?.scopes.push({ value: 'read:items', description: 'again' })
  t.same(checkTenant(scopes), {
    path: 'resource_servers[0].scopes[2].value',
    message: '"read:items" is already defined by resource_servers[0].scopes[0]'
  })

  const m2m = createDemoTenant()
  m2m.clients.push({
    client_id: 'm2m',
    name: 'M2M',
    app_type: 'non_interactive',
    callbacks: [],
    allowed_logout_urls: [],
    web_origins: [],
    grant_types: [],
    is_first_party: true,
    token_endpoint_auth_method: 'none',
    refresh_token: { rotation_type: 'non-rotating' }
  })
  t.same(checkTenant(m2m), {
    path: 'clients[1].token_endpoint_auth_method',
    message: 'a non_interactive client must authenticate (client_secret_post or client_secret_basic)'
  })

  const grants = createDemoTenant()
  grants.client_grants.push(
    { client_id: 'gatehouse-demo-spa', audience: 'demo:api', scope: [] },
    { client_id: 'gatehouse-demo-spa', audience: 'demo:api', scope: ['read:items'] }
  )
  t.same(checkTenant(grants), {
    path: 'client_grants[1]',
    message: 'client_grants[0] already grants this client access to this audience'
  })
})
