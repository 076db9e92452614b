// The event log: a bounded ring of short protocol decisions, filtered by client, state and time; and what a
// whole flow records — its decisions, never its tokens, codes, secrets or passwords.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Client } from '../../src/config/types.js'
import { createEventLog, FIELD_LIMITS } from '../../src/events/event-log.js'
import { buildServer } from '../../src/server.js'
import { createMemoryStore } from '../../src/store/index.js'
import { fakeClock, NOW, postForm, signIn, startAuthorize, submitLogin } from '../helpers/server.js'
import { ISSUER, testConfig } from '../helpers/tenant.js'
import { CHALLENGE, VERIFIER } from '../helpers/tokens.js'

t.test('keeps the newest events up to its capacity, oldest first, stamped by the injected clock', async (t) => {
  const clock = fakeClock()
  const log = createEventLog({ clock, capacity: 3 })
  for (let i = 1; i <= 5; i++) {
    log.record({ kind: 'token.issued', client_id: 'c', summary: `event ${i}` })
    clock.advance(1)
  }
  t.strictSame(
    log.list().map((e) => [e.summary, e.at]),
    [
      ['event 3', NOW + 2000],
      ['event 4', NOW + 3000],
      ['event 5', NOW + 4000],
    ],
  )
  t.throws(() => createEventLog({ clock, capacity: 0 }), /capacity must be a positive integer/)
})

t.test('each field is kept short', async (t) => {
  const log = createEventLog({ clock: fakeClock() })
  log.record({ kind: 'login.failed', client_id: 'c'.repeat(1000), state: 's'.repeat(1000), summary: 'x'.repeat(5000), detail: 'd'.repeat(5000) })
  const [event] = log.list()
  t.equal(event!.client_id!.length, FIELD_LIMITS.client_id)
  t.equal(event!.state!.length, FIELD_LIMITS.state)
  t.equal(event!.summary.length, FIELD_LIMITS.summary)
  t.equal(event!.detail!.length, FIELD_LIMITS.detail)
  t.match(event!.summary, /…$/, 'a clipped field says so')
})

t.test('filters by client, state and time; what it hands out are copies', async (t) => {
  const clock = fakeClock()
  const log = createEventLog({ clock })
  log.record({ kind: 'authorize.interaction', client_id: 'a', state: 's1', summary: 'one' })
  clock.advance(10)
  log.record({ kind: 'authorize.issued', client_id: 'a', state: 's2', summary: 'two' })
  log.record({ kind: 'token.issued', client_id: 'b', summary: 'three' })
  t.strictSame(log.list({ client_id: 'a' }).map((e) => e.summary), ['one', 'two'])
  t.strictSame(log.list({ state: 's1' }).map((e) => e.summary), ['one'])
  t.strictSame(log.list({ since: NOW + 10_000 }).map((e) => e.summary), ['two', 'three'])
  t.strictSame(log.list({ client_id: 'b', state: 's1' }), [])
  log.list()[0]!.summary = 'changed'
  t.equal(log.list()[0]!.summary, 'one')
})

const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin' }
const PLAYGROUND_CALLBACK = `${ISSUER}playground/callback`

async function playgroundServer(t: Test) {
  const clock = fakeClock()
  const events = createEventLog({ clock, capacity: 100 })
  const store = createMemoryStore({ clock })
  const app = await buildServer(testConfig(), { clock, logger: false, store, events })
  t.teardown(() => app.close())
  return { app, events, store }
}

const backendToken = (app: FastifyInstance, payload: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/playground/token', payload, headers: SAME_ORIGIN })

t.test('a whole code flow records its decisions, and none of its secrets', async (t) => {
  const { app, events, store } = await playgroundServer(t)
  const request = {
    client_id: 'gatehouse-playground',
    redirect_uri: PLAYGROUND_CALLBACK,
    response_type: 'code',
    audience: 'appointments:api',
    scope: 'openid profile offline_access read:appointments',
    state: 'flow-1',
    nonce: 'n-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
  }
  // a failed sign-in first, with a password that must not be recorded
  const start = await startAuthorize(app, request)
  const failed = await submitLogin(app, String(start.headers.location), 'alice', 'not-the-password-42')
  t.equal(failed.statusCode, 400)
  const { res, cookie } = await signIn(app, request)
  const code = new URL(String(res.headers.location)).searchParams.get('code')!
  const exchange = (await backendToken(app, { grant_type: 'authorization_code', code, redirect_uri: PLAYGROUND_CALLBACK, code_verifier: VERIFIER })).json()
  t.equal(exchange.response.status, 200)
  const tokens = exchange.response.body as Record<string, string>
  const refreshed = (await backendToken(app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! })).json().response.body
  const replayed = (await backendToken(app, { grant_type: 'authorization_code', code, redirect_uri: PLAYGROUND_CALLBACK, code_verifier: VERIFIER })).json()
  t.equal(replayed.response.body.error, 'invalid_grant')
  t.equal((await app.inject({ url: '/demo-api/appointments', headers: { authorization: `Bearer ${tokens.access_token}` } })).statusCode, 200)
  const [h, p] = tokens.access_token!.split('.')
  t.equal((await app.inject({ url: '/demo-api/appointments', headers: { authorization: `Bearer ${h}.${p}.AAAA` } })).statusCode, 401)
  // a client with a secret of its own, through Basic
  await postForm(app, '/oauth/token', { grant_type: 'client_credentials', audience: 'appointments:api' }, undefined)

  const recorded = events.list()
  t.strictSame(
    recorded.filter((e) => e.client_id === 'gatehouse-playground').map((e) => [e.kind, e.state ?? null]),
    [
      ['authorize.interaction', 'flow-1'],
      ['login.failed', 'flow-1'],
      ['authorize.interaction', 'flow-1'],
      ['login.succeeded', 'flow-1'],
      ['authorize.interaction', 'flow-1'],
      ['consent.allowed', 'flow-1'],
      ['authorize.issued', 'flow-1'],
      ['token.issued', null],
      ['token.issued', null],
      ['token.error', null],
      ['api.allowed', null],
      ['api.refused', null],
    ],
  )
  const summaries = recorded.map((e) => e.summary)
  t.match(summaries[0], /^login required: /)
  t.equal(summaries[1], 'sign-in failed: Wrong username or password.')
  t.match(summaries[4], /^consent required: /)
  t.equal(summaries[5], 'auth0|alice chose Allow on the consent page')
  t.equal(recorded[5]!.detail, 'granted: openid profile offline_access read:appointments at appointments:api')
  t.match(summaries[6], /^issued code to gatehouse-playground for auth0\|alice \(openid profile offline_access read:appointments\) by query$/)
  t.equal(summaries[7], 'authorization_code: issued access_token, id_token, refresh_token')
  t.match(recorded[7]!.detail, /^scope granted: openid profile offline_access read:appointments; access token jti [A-Za-z0-9_-]+$/)
  t.equal(recorded[7]!.user_id, 'auth0|alice', 'token events name the user')
  t.equal(recorded[5]!.user_id, 'auth0|alice', 'consent events name the user')
  t.equal(recorded[6]!.user_id, 'auth0|alice', 'authorize events name the user once one is signed in')
  t.equal(summaries[8], 'refresh_token: issued access_token, id_token, refresh_token')
  t.match(summaries[9], /^authorization_code: invalid_grant: /)
  t.equal(summaries[10], 'the demo API answered 200 to auth0|alice')
  t.equal(summaries[11], 'the demo API refused the token (401 invalid_token)')
  t.equal(recorded.at(-1)!.kind, 'token.error', 'the unauthenticated client_credentials request')
  t.equal(recorded.at(-1)!.client_id, undefined)

  const client = await store.get<Client>('client', 'gatehouse-playground')
  const sessionId = cookie.split('=')[1]!
  const secrets = {
    code,
    access_token: tokens.access_token!,
    id_token: tokens.id_token!,
    refresh_token: tokens.refresh_token!,
    refreshed_access_token: refreshed.access_token,
    refreshed_refresh_token: refreshed.refresh_token,
    client_secret: client!.client_secret!,
    code_verifier: VERIFIER,
    session: sessionId,
    password: 'wonderland',
    wrong_password: 'not-the-password-42',
  }
  const text = JSON.stringify(recorded)
  for (const [name, secret] of Object.entries(secrets)) {
    t.ok(typeof secret === 'string' && secret.length > 8, `${name} is known`)
    t.notOk(text.includes(secret), `${name} is not recorded`)
    // nor a recognisable piece of it (a JWT's signature, a prefix)
    t.notOk(text.includes(secret.slice(-16)), `no piece of ${name} is recorded`)
  }
})

t.test('events never change protocol behaviour: a full log still answers', async (t) => {
  const { app, events } = await playgroundServer(t)
  for (let i = 0; i < 150; i++) events.record({ kind: 'token.error', summary: `filler ${i}` })
  const res = await startAuthorize(app, { client_id: 'gatehouse-playground', redirect_uri: PLAYGROUND_CALLBACK, response_type: 'code', scope: 'openid', state: 's' })
  t.equal(res.statusCode, 303)
  t.equal(events.list().length, 100)
  t.match(events.list().at(-1)!.summary, /^login required: /)
})
