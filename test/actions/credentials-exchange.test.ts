// credentials-exchange Actions on client_credentials: the event, custom claims, and denials with Auth0's codes.
import { decodeJwt } from 'jose'
import t from 'tap'
import { actionServer, credentialsExchange, EVENT_CLAIM, postLogin } from './helpers.js'

const BASIC = `Basic ${Buffer.from('backend:backend-secret').toString('base64')}`
const clientCredentials = (fields: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/oauth/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: BASIC, 'user-agent': 'm2m-test/1.0' },
  payload: new URLSearchParams({ grant_type: 'client_credentials', audience: 'appointments:api', ...fields }).toString(),
})

t.test('the event, claims from each Action in order, Auth0 claim rules', async (t) => {
  const { app, logs, events } = await actionServer(t, [
    credentialsExchange('echo', 'm2m-echo.js', { secrets: { VAULT: 'v-1' } }),
    credentialsExchange('second', 'm2m-second.js'),
  ])
  const res = await app.inject(clientCredentials({ scope: 'read:appointments' }))
  t.equal(res.statusCode, 200, res.body)
  const access = decodeJwt(res.json().access_token)
  t.same(access[EVENT_CLAIM], {
    client: { client_id: 'backend', name: 'Backend', metadata: {} },
    request: {
      ip: '127.0.0.1',
      hostname: 'localhost',
      method: 'POST',
      query: {},
      body: { grant_type: 'client_credentials', audience: 'appointments:api', scope: 'read:appointments' },
      user_agent: 'm2m-test/1.0',
      geoip: {},
    },
    resource_server: { identifier: 'appointments:api' },
    transaction: { requested_scopes: ['read:appointments'] },
    tenant: { id: 'gatehouse.test' },
    accessToken: { customClaims: {}, scope: ['read:appointments'] },
    secrets: { VAULT: 'v-1' },
  })
  t.equal(access['https://gatehouse.test/tenant'], 'acme')
  t.equal(access['https://gatehouse.test/seen'], 'acme', 'a later Action sees earlier custom claims')
  t.equal(access.gty, 'client-credentials', 'a restricted claim is refused')
  t.equal(access.sub, 'backend@clients')
  t.ok(logs().some((line) => line.msg === 'Action "echo" (credentials-exchange): custom claim "gty" not added to the access token: "gty" is one of the claims Auth0 restricts'))
  t.same(events.list().filter((e) => e.kind === 'action.executed').map((e) => e.client_id), ['backend', 'backend'])
})

t.test('without a scope parameter, the requested scopes are the client grant\'s', async (t) => {
  const { app } = await actionServer(t, [credentialsExchange('echo', 'm2m-echo.js')])
  const res = await app.inject(clientCredentials())
  const event = decodeJwt(res.json().access_token)[EVENT_CLAIM] as { transaction: unknown }
  t.same(event.transaction, { requested_scopes: ['read:appointments'] })
})

t.test("api.access.deny(code, reason) answers with that code; codes Auth0 does not take are a server_error", async (t) => {
  for (const [code, status] of [['invalid_scope', 400], ['invalid_request', 400], ['unauthorized_client', 400], ['access_denied', 403], ['server_error', 500]] as const) {
    const { app } = await actionServer(t, [credentialsExchange('gate', 'm2m-deny.js', { secrets: { CODE: code } })])
    const res = await app.inject(clientCredentials())
    t.equal(res.statusCode, status, code)
    t.same(res.json(), { error: code, error_description: 'machines are not welcome here' })
  }
  const { app } = await actionServer(t, [credentialsExchange('gate', 'm2m-deny.js', { secrets: { CODE: 'nope' } })])
  const res = await app.inject(clientCredentials())
  t.equal(res.statusCode, 500)
  t.same(res.json(), {
    error: 'server_error',
    error_description: 'Action "gate" (credentials-exchange) denied the exchange with "nope", which is not one of invalid_scope, invalid_request, unauthorized_client, access_denied, server_error',
  })
})

t.test('an Action that throws: 403 access_denied naming it; post-login Actions do not run here', async (t) => {
  const { app, events } = await actionServer(t, [postLogin('echo', 'echo-event.js'), credentialsExchange('vault', 'm2m-throws.js')])
  const res = await app.inject(clientCredentials())
  t.equal(res.statusCode, 403)
  t.same(res.json(), { error: 'access_denied', error_description: 'Action "vault" failed: vault unreachable' })
  t.match(events.list().find((e) => e.kind === 'token.error'), { summary: 'client_credentials: access_denied: Action "vault" failed: vault unreachable' })
  t.same(
    events.list().filter((e) => e.kind.startsWith('action.')).map((e) => [e.kind, e.summary.split(' (')[0]]),
    [['action.failed', 'Action "vault"']],
  )
})
