// Every field of the post-login event, as an Action sees it, on each flow that runs post-login.
import { decodeJwt } from 'jose'
import { createHash } from 'node:crypto'
import t from 'tap'
import type { User } from '../../src/config/types.js'
import { fragmentOf, signIn, startAuthorize } from '../helpers/server.js'
import { alice, CALLBACK, testTenant } from '../helpers/tenant.js'
import { actionServer, EVENT_CLAIM, IMPLICIT, passwordGrant, postLogin, tokensOf } from './helpers.js'

const ECHO = postLogin('echo', 'echo-event.js', { secrets: { API_KEY: 'k-123', REGION: 'eu' } })

const tenantWith = (user: Partial<User>) => {
  const tenant = testTenant()
  tenant.users = tenant.users.map((u) => (u.user_id === alice.user_id ? { ...u, ...user } : u))
  return tenant
}

t.test('authorize: user, client, request, transaction, roles, stats, session and secrets', async (t) => {
  const tenant = tenantWith({ app_metadata: { plan: 'gold' }, user_metadata: { theme: 'dark' }, roles: ['editor', 'viewer'] })
  tenant.roles = [{ name: 'editor' }, { name: 'viewer' }, { name: 'unused' }]
  const { app } = await actionServer(t, [ECHO], { tenant })
  const { res, cookie } = await signIn(app, { ...IMPLICIT, ui_locales: 'fr-CA en', login_hint: 'alice@example.com', acr_values: 'urn:x' })
  t.equal(res.statusCode, 303)
  const event = tokensOf(res.headers.location!).id[EVENT_CLAIM] as Record<string, any>

  t.same(event.user, {
    user_id: 'auth0|alice',
    email: 'alice@example.com',
    email_verified: true,
    username: 'alice',
    name: 'Alice Liddell',
    given_name: 'Alice',
    family_name: 'Liddell',
    nickname: 'alice',
    identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: 'alice', isSocial: false }],
    app_metadata: { plan: 'gold' },
    user_metadata: { theme: 'dark' },
    multifactor: [],
  })
  t.notOk('password' in event.user, 'the password never reaches an Action')
  t.same(event.client, { client_id: 'first-party', name: 'First Party', metadata: {} })
  t.same(event.connection, { id: 'con_gatehouse', name: 'Username-Password-Authentication', strategy: 'auth0', metadata: {} })
  t.same(event.authorization, { roles: ['editor', 'viewer'] })
  t.same(event.resource_server, { identifier: 'appointments:api' })
  t.same(event.stats, { logins_count: 1 })
  t.same(event.tenant, { id: 'gatehouse.test' })
  t.same(event.secrets, { API_KEY: 'k-123', REGION: 'eu' })
  t.same(event.session, { id: cookie.replace('gatehouse_session=', '') })
  t.same(event.authentication, { methods: [{ name: 'pwd', timestamp: '2023-11-14T22:13:20.000Z' }] })
  // the request that resumed the flow after the login page, with the authorize request's parameters
  t.match(event.request, { ip: '127.0.0.1', hostname: 'localhost', method: 'GET', body: {}, user_agent: 'lightMyRequest', geoip: {} })
  t.same(event.request.query, { ...IMPLICIT, login_hint: 'alice@example.com' }, 'ui_locales and acr_values are not kept across the login page')
  t.same(event.transaction, {
    protocol: 'oidc-implicit-profile',
    requested_scopes: ['openid', 'profile', 'email', 'read:appointments'],
    locale: 'en',
    ui_locales: [],
    acr_values: [],
    response_type: ['id_token', 'token'],
    redirect_uri: CALLBACK,
    response_mode: 'fragment',
    state: 'st-1',
    login_hint: 'alice@example.com',
  })
})

t.test('silent authorize: the request itself, prompt, ui_locales; no new login is counted', async (t) => {
  const { app } = await actionServer(t, [ECHO])
  const { cookie } = await signIn(app, IMPLICIT)
  const res = await startAuthorize(
    app,
    { ...IMPLICIT, prompt: 'none', ui_locales: 'fr-CA en', acr_values: 'urn:a urn:b', response_mode: 'form_post', state: 'st-2' },
    cookie,
  )
  t.equal(res.statusCode, 200, 'form_post page')
  const idToken = /name="id_token" value="([^"]+)"/.exec(res.body)![1]!
  const event = decodeJwt(idToken)[EVENT_CLAIM] as Record<string, any>
  t.same(event.stats, { logins_count: 1 }, 'the same session is the same login')
  t.equal(event.request.query.prompt, 'none')
  t.match(event.transaction, {
    protocol: 'oidc-implicit-profile',
    prompt: ['none'],
    ui_locales: ['fr-CA', 'en'],
    acr_values: ['urn:a', 'urn:b'],
    response_mode: 'form_post',
    state: 'st-2',
  })
})

t.test('code and hybrid flows name their protocol; the code exchange does not run the Action again', async (t) => {
  const { app, events } = await actionServer(t, [ECHO])
  const { cookie } = await signIn(app, IMPLICIT)
  const verifier = 'a-code-verifier-of-forty-three-characters-ok'
  const pkce = { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', prompt: 'none' }
  const code = await startAuthorize(app, { ...IMPLICIT, ...pkce, response_type: 'code' }, cookie)
  const hybrid = await startAuthorize(app, { ...IMPLICIT, ...pkce, response_type: 'code id_token' }, cookie)
  t.match(hybrid.headers.location, /#code=.*&id_token=/)
  const hybridEvent = decodeJwt(fragmentOf(hybrid.headers.location!).id_token!)[EVENT_CLAIM] as Record<string, any>
  t.equal(hybridEvent.transaction.protocol, 'oidc-hybrid-profile')
  const codeValue = new URL(code.headers.location!).searchParams.get('code')!
  const runsBefore = events.list().filter((e) => e.kind === 'action.executed').length
  const exchanged = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    payload: {
      grant_type: 'authorization_code',
      client_id: 'first-party',
      code: codeValue,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
    },
  })
  t.equal(exchanged.statusCode, 200, exchanged.body)
  const event = decodeJwt(exchanged.json().id_token)[EVENT_CLAIM] as Record<string, any>
  t.equal(event.transaction.protocol, 'oidc-basic-profile', 'the plan made at /authorize, kept in the code')
  t.same(event.transaction.response_type, ['code'])
  t.equal(events.list().filter((e) => e.kind === 'action.executed').length, runsBefore, 'no run for the exchange')
})

t.test('password grant: oauth2-password, the body without the password, every grant a login', async (t) => {
  const { app } = await actionServer(t, [ECHO])
  const first = await app.inject(passwordGrant())
  t.equal(first.statusCode, 200, first.body)
  const event = decodeJwt(first.json().id_token)[EVENT_CLAIM] as Record<string, any>
  t.same(event.transaction, {
    protocol: 'oauth2-password',
    requested_scopes: ['openid', 'profile', 'offline_access', 'read:appointments'],
    locale: 'en',
    ui_locales: [],
    acr_values: [],
  })
  t.same(event.request.body, { grant_type: 'password', username: 'alice', audience: 'appointments:api', scope: 'openid profile offline_access read:appointments' })
  t.equal(event.request.method, 'POST')
  t.same(event.client, { client_id: 'backend', name: 'Backend', metadata: {} })
  t.same(event.stats, { logins_count: 1 })
  t.notOk('session' in event, 'no browser session')
  const second = await app.inject(passwordGrant())
  t.same((decodeJwt(second.json().id_token)[EVENT_CLAIM] as Record<string, any>).stats, { logins_count: 2 })

  const refreshed = await app.inject({ ...passwordGrant(), payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.json().refresh_token }).toString() })
  t.equal(refreshed.statusCode, 200, refreshed.body)
  const onRefresh = decodeJwt(refreshed.json().id_token)[EVENT_CLAIM] as Record<string, any>
  t.equal(onRefresh.transaction.protocol, 'oauth2-refresh-token')
  t.same(onRefresh.transaction.requested_scopes, ['openid', 'profile', 'offline_access', 'read:appointments'], 'the grant\'s scopes when none are asked for')
  t.same(onRefresh.request.body, { grant_type: 'refresh_token' }, 'the refresh token itself is left out')
  t.same(onRefresh.stats, { logins_count: 2 }, 'a refresh is no login')
  t.notOk('authentication' in onRefresh)
})

t.test('a new session is a new login', async (t) => {
  const { app, clock } = await actionServer(t, [ECHO])
  const first = await signIn(app, IMPLICIT)
  clock.advance(60)
  const second = await signIn(app, IMPLICIT)
  t.not(second.cookie, first.cookie)
  const count = (location: string) => ((tokensOf(location).id[EVENT_CLAIM] as Record<string, any>).stats as { logins_count: number }).logins_count
  t.equal(count(first.res.headers.location!), 1)
  t.equal(count(second.res.headers.location!), 2)
})
