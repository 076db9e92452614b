// POST /_gatehouse/reset: back to the config file's tenant. What was made or changed at runtime goes,
// sessions, consents, refresh tokens, interactions, scenarios and events too; signing keys stay.
import t from 'tap'
import type { Tenant } from '../../src/config/types.js'
import { errorPageOf, fragmentOf, signIn, startAuthorize, submitLogin } from '../helpers/server.js'
import { BACKEND_BASIC, codeGrant, getUserinfo, IMPLICIT, implicitTokens, obtainCode, organizerRequest, postOAuth, postToken, refreshGrant } from '../helpers/tokens.js'
import { managementApi, managementTenant, managementToken, userPath } from '../management/helpers.js'
import { buildControlledServer } from './helpers.js'

function tenantWithRoles(): Tenant {
  const tenant = managementTenant()
  tenant.roles = [{ name: 'viewer', permissions: [{ resource_server_identifier: 'appointments:api', permission_name: 'read:appointments' }] }]
  tenant.users = tenant.users.map((u) => (u.user_id === 'auth0|alice' ? { ...u, roles: ['viewer'] } : u))
  return tenant
}

t.test('runtime entities go, the config’s come back as the file has them, keys stay', async (t) => {
  const { app, controls } = await buildControlledServer(t, { tenant: tenantWithRoles() })
  const jwksBefore = (await app.inject({ url: '/.well-known/jwks.json' })).body
  const { accessToken } = await implicitTokens(app)
  const api = managementApi(app, await managementToken(app))
  // made at runtime
  t.equal((await api.post('/users', { connection: 'Username-Password-Authentication', email: 'carol@example.com', password: 'x-Secret-1234', user_id: 'carol' })).statusCode, 201)
  const client = (await api.post('/clients', { name: 'Runtime app', app_type: 'spa', callbacks: ['https://runtime.example/cb'] })).json()
  t.equal((await api.post('/resource-servers', { identifier: 'https://runtime.example/api', name: 'Runtime API' })).statusCode, 201)
  t.equal((await api.post('/client-grants', { client_id: 'backend', audience: 'https://runtime.example/api', scope: [] })).statusCode, 201)
  const role = (await api.post('/roles', { name: 'runtime-role' })).json()
  // the config's, changed or deleted at runtime
  t.equal((await api.patch(userPath('auth0|alice'), { name: 'Changed' })).statusCode, 200)
  t.equal((await api.patch('/clients/organizer', { callbacks: ['https://changed.example/'] })).statusCode, 200)
  t.equal((await api.delete(userPath('auth0|bob'))).statusCode, 204)
  t.equal((await api.delete('/clients/first-party')).statusCode, 204)
  const viewer = (await api.get('/roles')).json().find((r: { name: string }) => r.name === 'viewer')
  t.equal((await api.delete(`/roles/${viewer.id}`)).statusCode, 200)
  await controls.queue({ on: 'token', respond: { error: 'server_error' } })
  await controls.post('clock', { advance_seconds: 60 })

  const res = await controls.post('reset')
  t.equal(res.statusCode, 200)
  const report = res.json()
  t.match(report, {
    reset: true,
    deleted: { user: 1, client: 1, resource_server: 1, client_grant: 1, role: 1, session: 1, grant: 1 },
    scenarios_cleared: 1,
    clock: { offset_seconds: 0, real_time: true },
  })
  t.ok(report.kept.includes('signing_key'), 'signing keys kept')
  t.ok(report.kept.every((kind: string) => kind.includes('key') || kind === 'revoked' || kind === 'token_family'), `kept: ${report.kept}`)

  t.equal((await app.inject({ url: '/.well-known/jwks.json' })).body, jwksBefore, 'the same JWKS')
  t.equal((await getUserinfo(app, accessToken)).statusCode, 200, 'a token signed before still verifies')
  t.equal((await api.get(userPath('carol'))).statusCode, 404)
  t.equal((await api.get(`/clients/${client.client_id}`)).statusCode, 404)
  t.equal((await api.get(`/resource-servers/${encodeURIComponent('https://runtime.example/api')}`)).statusCode, 404)
  t.equal((await api.get(`/roles/${role.id}`)).statusCode, 404)
  t.equal((await api.get(userPath('auth0|alice'))).json().name, 'Alice Liddell')
  t.equal((await api.get(userPath('auth0|bob'))).statusCode, 200)
  t.strictSame((await api.get('/clients/organizer')).json().callbacks, ['https://app.example.com/callback', 'https://app.example.com/other?keep=1'])
  t.equal((await api.get('/clients/first-party')).statusCode, 200)
  const roles = (await api.get('/roles')).json()
  t.strictSame(roles.map((r: { name: string }) => r.name), ['viewer'])
  t.strictSame((await api.get(`${userPath('auth0|alice')}/roles`)).json().map((r: { name: string }) => r.name), ['viewer'])
  // carol's email is free again
  t.equal((await api.post('/users', { connection: 'Username-Password-Authentication', email: 'carol@example.com', password: 'x-Secret-1234' })).statusCode, 201)
  t.strictSame((await controls.get('scenarios')).json(), { scenarios: [] })
})

t.test('sessions, consents, interactions, refresh tokens and login attempts are gone; events start over', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const { cookie } = await signIn(app, IMPLICIT)
  const pending = await startAuthorize(app, IMPLICIT)
  const code = await obtainCode(app, organizerRequest({ scope: 'openid offline_access' }))
  const { refresh_token: refreshToken } = (await postToken(app, codeGrant(code))).json()
  const unusedCode = await obtainCode(app, organizerRequest({ scope: 'openid' }))
  const bobs = await startAuthorize(app, { ...IMPLICIT, client_id: 'single' })
  for (let i = 0; i < 3; i++) await submitLogin(app, bobs.headers.location!, 'bob', 'wrong')
  const lastId = (await controls.get('events')).json().next_since

  const report = (await controls.post('reset')).json()
  t.match(report.deleted, { session: 3, grant: 2, interaction: 2, login_attempt: 3 })
  t.ok(report.deleted.refresh_token >= 1, 'refresh tokens deleted')
  t.ok(report.deleted.code >= 2, 'codes and their replay markers deleted')
  t.equal((await postToken(app, codeGrant(unusedCode))).json().error, 'invalid_grant', 'a code issued before the reset is refused')
  t.equal(report.events_since, lastId + 1)

  const silent = await startAuthorize(app, { ...IMPLICIT, prompt: 'none' }, cookie)
  t.equal(fragmentOf(silent.headers.location!).error, 'login_required', 'the session is gone')
  t.equal(errorPageOf((await app.inject({ url: pending.headers.location! })).body)?.description, 'this sign-in request has expired or was already completed')
  t.equal((await postToken(app, refreshGrant(refreshToken))).json().error, 'invalid_grant', 'the refresh token is refused')
  t.strictSame((await postOAuth(app, '/oauth/introspect', { token: refreshToken }, { authorization: BACKEND_BASIC })).json(), { active: false })
  // consent is asked again
  const again = await signIn(app, IMPLICIT)
  t.ok(fragmentOf(again.res.headers.location!).access_token)
  const { events } = (await controls.get('events', { since: String(lastId) })).json()
  t.equal(events[0].type, 'controls.reset')
  t.equal(events[0].id, report.events_since)
  t.ok(events.some((e: { type: string }) => e.type === 'consent.allowed'), 'the consent page was shown again')
})

t.test('safe under concurrent traffic: nothing answers 500, and resets run one at a time', async (t) => {
  const { app, controls } = await buildControlledServer(t, { tenant: managementTenant() })
  const api = managementApi(app, await managementToken(app))
  for (let i = 0; i < 20; i++) await api.post('/users', { connection: 'Username-Password-Authentication', email: `u${i}@example.com`, password: 'x-Secret-1234' })
  const { accessToken, cookie } = await implicitTokens(app)
  const traffic = async () => {
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) {
      const results = await Promise.all([
        startAuthorize(app, { ...IMPLICIT, prompt: 'none' }, cookie),
        postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC }),
        getUserinfo(app, accessToken),
        api.get('/users'),
        api.post('/users', { connection: 'Username-Password-Authentication', email: `c${i}@example.com`, password: 'x-Secret-1234' }),
      ])
      statuses.push(...results.map((r) => r.statusCode))
    }
    return statuses
  }
  const [statuses, first, second] = await Promise.all([traffic(), controls.post('reset'), controls.post('reset')])
  t.equal(first.statusCode, 200)
  t.equal(second.statusCode, 200)
  t.notOk(statuses.some((s) => s >= 500), `no 5xx among ${statuses.length} answers`)
  t.ok(second.json().events_since > first.json().events_since, 'the second reset ran after the first')
})
