// Scenarios on /oauth/token: errors as RFC 6749 §5.2 JSON with each code's status, decided after client
// authentication and before the grant spends anything; claims and lifetimes merged into the next tokens.
import { decodeJwt } from 'jose'
import t from 'tap'
import { SCRIPTED } from '../../src/controls/scenario-errors.js'
import { tenantWithClient } from '../helpers/tenant.js'
import { BACKEND_BASIC, basicAuth, codeGrant, obtainCode, organizerRequest, postToken, refreshGrant, seedRefreshToken } from '../helpers/tokens.js'
import { buildControlledServer } from './helpers.js'

const CLIENT_CREDENTIALS = { grant_type: 'client_credentials', audience: 'appointments:api' }
const ccToken = (app: Parameters<typeof postToken>[0]) => postToken(app, CLIENT_CREDENTIALS, { authorization: BACKEND_BASIC })

t.test('each error code with its status; invalid_client with a Basic challenge', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  const cases: [string, number][] = [
    ['invalid_client', 401],
    ['invalid_grant', 400],
    ['access_denied', 403],
    ['too_many_attempts', 429],
    ['server_error', 500],
    ['temporarily_unavailable', 503],
    ['unauthorized_client', 400],
    ['invalid_scope', 400],
  ]
  for (const [error, status] of cases) {
    await controls.queue({ on: 'token', match: { client_id: 'backend', grant_type: 'client_credentials' }, respond: { error, error_description: `scripted ${error}` } })
    const res = await ccToken(app)
    t.equal(res.statusCode, status, error)
    t.strictSame(res.json(), { error, error_description: `scripted ${error}` })
    t.equal(res.headers['cache-control'], 'no-store')
    t.equal(res.headers['www-authenticate'], error === 'invalid_client' ? 'Basic realm="gatehouse"' : undefined, `${error} challenge`)
  }
  t.equal((await ccToken(app)).statusCode, 200, 'then tokens again')
})

t.test('the protocol’s own refusals come first and leave the scenario pending', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue({ on: 'token', match: { client_id: 'backend' }, respond: { error: 'temporarily_unavailable' } })
  const wrongSecret = await postToken(app, CLIENT_CREDENTIALS, { authorization: basicAuth('backend', 'nope') })
  t.equal(wrongSecret.statusCode, 401)
  t.equal(wrongSecret.json().error, 'invalid_client')
  const unsupported = await postToken(app, { grant_type: 'magic' }, { authorization: BACKEND_BASIC })
  t.equal(unsupported.json().error, 'unsupported_grant_type')
  const otherClient = await postToken(app, { grant_type: 'authorization_code', client_id: 'organizer', code: 'nope' })
  t.equal(otherClient.json().error, 'invalid_grant', 'another client is not matched')
  t.equal((await controls.get('scenarios')).json().scenarios[0].remaining, 1)
  const res = await ccToken(app)
  t.strictSame({ status: res.statusCode, body: res.json() }, { status: 503, body: { error: 'temporarily_unavailable', error_description: SCRIPTED } })
})

t.test('grant_type must match; a scripted error spends neither the code nor a rotating refresh token', async (t) => {
  const { app, controls } = await buildControlledServer(t, {
    tenant: tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } }),
  })
  await controls.queue({ on: 'token', match: { client_id: 'organizer', grant_type: 'authorization_code' }, respond: { error: 'server_error' } })
  await controls.queue({ on: 'token', match: { client_id: 'organizer', grant_type: 'refresh_token' }, respond: { error: 'temporarily_unavailable' } })
  const code = await obtainCode(app, organizerRequest({ scope: 'openid offline_access' }))
  t.equal((await postToken(app, codeGrant(code))).statusCode, 500)
  const exchanged = await postToken(app, codeGrant(code))
  t.equal(exchanged.statusCode, 200, 'the code was not spent')
  const refreshToken = exchanged.json().refresh_token as string
  t.equal((await postToken(app, refreshGrant(refreshToken))).statusCode, 503)
  const refreshed = await postToken(app, refreshGrant(refreshToken))
  t.equal(refreshed.statusCode, 200, 'the refresh token was not spent: no reuse detected')
  t.not(refreshed.json().refresh_token, refreshToken)
})

t.test('claims and expires_in: into the next tokens of the matching grant and user', async (t) => {
  const { app, controls, store } = await buildControlledServer(t, {}, { withStore: true })
  await controls.queue({ on: 'token', match: { client_id: 'backend', grant_type: 'client_credentials' }, respond: { claims: { plan: 'pro' }, expires_in: 60 } })
  const cc = (await ccToken(app)).json()
  t.equal(cc.expires_in, 60)
  const claims = decodeJwt(cc.access_token)
  t.equal(claims.plan, 'pro')
  t.equal(claims.exp! - claims.iat!, 60)
  t.equal(claims.sub, 'backend@clients')
  t.equal(decodeJwt((await ccToken(app)).json().access_token).plan, undefined, 'once')

  await seedRefreshToken(store, 'rt-alice', { family: 'f-a' })
  await seedRefreshToken(store, 'rt-bob', { family: 'f-b', sub: 'auth0|bob' })
  await controls.queue({ on: 'token', match: { grant_type: 'refresh_token', user_id: 'auth0|alice' }, respond: { claims: { 'https://example.com/flag': true } } })
  const refresh = (token: string) => postToken(app, { grant_type: 'refresh_token', refresh_token: token }, { authorization: BACKEND_BASIC })
  const bobs = (await refresh('rt-bob')).json()
  t.equal(decodeJwt(bobs.access_token)['https://example.com/flag'], undefined, 'bob is not matched')
  const alices = (await refresh('rt-alice')).json()
  t.equal(decodeJwt(alices.access_token)['https://example.com/flag'], true)
  t.equal(decodeJwt(alices.id_token)['https://example.com/flag'], true)

  await controls.queue({ on: 'token', match: { grant_type: 'password' }, respond: { claims: { via: 'password' } } })
  const password = await postToken(app, { grant_type: 'password', username: 'alice', password: 'wonderland', audience: 'appointments:api', scope: 'openid' }, { authorization: BACKEND_BASIC })
  t.equal(decodeJwt(password.json().access_token).via, 'password')
})

t.test('a scripted token error is recorded with the other token errors', async (t) => {
  const { app, controls } = await buildControlledServer(t)
  await controls.queue({ on: 'token', match: { client_id: 'backend' }, respond: { error: 'invalid_grant', error_description: 'nope' } })
  await ccToken(app)
  const { events } = (await controls.get('events', { client_id: 'backend' })).json()
  t.strictSame(
    events.map((e: { type: string }) => e.type),
    ['scenario.applied', 'token.error'],
  )
  t.equal(events[1].summary, 'client_credentials: invalid_grant: nope')
})
