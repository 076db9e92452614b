// Replicas on one PostgreSQL database are one Gatehouse: the same signing keys, sessions, consent,
// codes and refresh tokens, and single-use things stay single-use across them.
import { existsSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { calculateJwkThumbprint, createLocalJWKSet, jwtVerify, type JWK } from 'jose'
import t from 'tap'
import { openStore } from '../../src/store/index.js'
import { freshPostgres } from '../helpers/postgres.js'
import { buildReplica, buildReplicas, fastClock, locationOf, withPoolSettings } from '../helpers/replicas.js'
import { consentAndResume, hiddenField, loginAndResume, openLogin, postForm, queryOf, sessionCookie, startAuthorize } from '../helpers/server.js'
import { CALLBACK, ISSUER, tenantWithClient, testTenant } from '../helpers/tenant.js'
import {
  BACKEND_BASIC,
  basicAuth,
  codeGrant,
  getUserinfo,
  obtainCode,
  organizerRequest,
  organizerTokens,
  postOAuth,
  postToken,
  refreshGrant,
} from '../helpers/tokens.js'

const introspect = (app: FastifyInstance, token: string) =>
  postOAuth(app, '/oauth/introspect', { token }, { authorization: BACKEND_BASIC })

t.test('5 replicas started together on a new database publish one JWKS, kept in the database, and accept each other\'s tokens', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const dir = t.testdir()
  const replicas = await buildReplicas(t, withPoolSettings(url, { pool_size: 2 }), dir, 5)

  const published = await Promise.all(replicas.map(({ app }) => app.inject({ url: '/.well-known/jwks.json' })))
  t.strictSame(published.map((res) => res.statusCode), [200, 200, 200, 200, 200])
  t.equal(new Set(published.map((res) => res.body)).size, 1, 'byte-identical JWKS bodies')
  const jwks = published[0]!.json() as { keys: JWK[] }
  t.strictSame(jwks.keys.map((key) => key.alg), ['RS256', 'ES256', 'RS256', 'ES256'], 'a current and a next key per algorithm, not one per replica')

  // The keys are the database's, and no replica wrote a key file.
  for (const { keysDir } of replicas) t.notOk(existsSync(keysDir), `${keysDir} was not created`)
  const store = await openStore(url)
  t.teardown(() => store.close())
  for (const key of jwks.keys) {
    const stored = await store.get<string>('signing_key', key.kid!)
    t.type(stored, 'string', `${key.alg} is in the database`)
    t.equal(await calculateJwkThumbprint(JSON.parse(stored!) as JWK), key.kid, `the published ${key.alg} key is the stored one`)
  }

  // Every replica's token verifies with every other replica's JWKS, and is active at the next one.
  const keySets = published.map((res) => createLocalJWKSet(res.json()))
  for (const [i, { app }] of replicas.entries()) {
    const issued = await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC })
    t.equal(issued.statusCode, 200)
    const token = issued.json().access_token as string
    for (const [j, keys] of keySets.entries()) {
      if (j === i) continue
      const { payload } = await jwtVerify(token, keys, { issuer: ISSUER, audience: 'appointments:api' })
      t.equal(payload.sub, 'backend@clients', `replica ${i}'s token verifies with replica ${j}'s JWKS`)
    }
    const next = (i + 1) % replicas.length
    const described = await introspect(replicas[next]!.app, token)
    t.equal(described.statusCode, 200)
    t.match(described.json(), { active: true, client_id: 'backend', sub: 'backend@clients' }, `replica ${next} introspects replica ${i}'s token`)
  }
})

t.test('replicas started together with a confidential client configured without a secret log one generated secret, which each accepts', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const dir = t.testdir()
  const base = testTenant()
  const tenant = { ...base, clients: base.clients.map(({ client_secret: _secret, ...client }) => client) }
  const logs: string[][] = [[], [], []]
  const replicas = await Promise.all(
    logs.map((lines, i) =>
      buildReplica(t, url, dir, String(i), { tenant, logLevel: 'info', logFormat: 'json' }, { logStream: { write: (line) => void lines.push(line) } }),
    ),
  )
  const GENERATED = /^client "backend" has no client_secret in the config; (?:generated|kept the one generated before): ([\w-]{64})$/
  const logged = logs.map((lines) => lines.flatMap((line) => GENERATED.exec(String((JSON.parse(line) as { msg?: unknown }).msg))?.[1] ?? []))
  t.strictSame(logged.map((secrets) => secrets.length), [1, 1, 1], 'each replica names the secret once')
  t.equal(new Set(logged.flat()).size, 1, 'the same secret')
  for (const [i, { app }] of replicas.entries()) {
    const res = await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: basicAuth('backend', logged[i]![0]!) })
    t.equal(res.statusCode, 200, `replica ${i} accepts the secret it logged`)
  }
})

t.test('a login and consent on A are a session and a grant on B, codes cross over, and a logout on B ends it everywhere', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const [a, b] = await buildReplicas(t, url, t.testdir(), 2)
  const request = organizerRequest()

  // On A: login, then the consent page, then the code.
  const start = await startAuthorize(a!.app, request)
  t.equal(start.statusCode, 303)
  t.match(start.headers.location, /^\/login\//)
  const { res: afterLogin, cookie } = await loginAndResume(a!.app, locationOf(start))
  t.equal(afterLogin.statusCode, 303)
  t.match(afterLogin.headers.location, /^\/consent\//, 'A asks for consent')
  const done = await consentAndResume(a!.app, locationOf(afterLogin), cookie)
  t.equal(done.statusCode, 303)
  const fromA = queryOf(locationOf(done))
  t.equal(fromA.state, 'st-1')
  t.type(fromA.code, 'string')

  // A's code is redeemed at B.
  const redeemed = await postToken(b!.app, codeGrant(fromA.code!))
  t.equal(redeemed.statusCode, 200)
  const bKeys = createLocalJWKSet((await b!.app.inject({ url: '/.well-known/jwks.json' })).json())
  const { payload: idToken } = await jwtVerify(redeemed.json().id_token, bKeys, { issuer: ISSUER, audience: 'organizer' })
  t.match(idToken, { sub: 'auth0|alice', nonce: 'n-1', name: 'Alice Liddell' })
  t.equal((await getUserinfo(b!.app, redeemed.json().access_token)).json().sub, 'auth0|alice')

  // B knows the session: scopes not consented yet are consent_required, not login_required.
  const moreScopes = await startAuthorize(b!.app, { ...request, scope: 'openid email', prompt: 'none' }, cookie)
  t.equal(moreScopes.statusCode, 303)
  t.match(queryOf(locationOf(moreScopes)), { error: 'consent_required', state: 'st-1' })
  // ... and the grant A recorded: no consent page, a code straight away.
  const silent = await startAuthorize(b!.app, { ...request, prompt: 'none' }, cookie)
  t.equal(silent.statusCode, 303)
  t.ok(locationOf(silent).startsWith(`${CALLBACK}?`), 'back to the client')
  const fromB = queryOf(locationOf(silent))
  t.strictSame(Object.keys(fromB).sort(), ['code', 'state'])
  const withoutPrompt = await startAuthorize(b!.app, request, cookie)
  t.ok(locationOf(withoutPrompt).startsWith(`${CALLBACK}?code=`), 'without prompt=none, no consent page either')
  t.equal((await postToken(a!.app, codeGrant(fromB.code!))).statusCode, 200, "B's code is redeemed at A")

  // Logout at B.
  const logout = await b!.app.inject({ url: '/v2/logout?client_id=organizer', headers: { cookie } })
  t.equal(logout.statusCode, 302)
  for (const [name, app] of [['A', a!.app], ['B', b!.app]] as const) {
    const after = await startAuthorize(app, { ...request, prompt: 'none' }, cookie)
    t.equal(after.statusCode, 303)
    t.match(queryOf(locationOf(after)), { error: 'login_required', state: 'st-1' }, `signed out at ${name}`)
  }
})

t.test('50 concurrent redemptions of one code across two replicas: one 200, 49 invalid_grant, and the winner revoked', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const [a, b] = await buildReplicas(t, url, t.testdir(), 2)
  const code = await obtainCode(a!.app, organizerRequest({ scope: 'openid offline_access' }))
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => postToken((i % 2 === 0 ? a : b)!.app, codeGrant(code))))

  const won = results.filter((res) => res.statusCode === 200)
  t.equal(won.length, 1, 'exactly one redemption succeeds')
  t.strictSame(
    results.filter((res) => res.statusCode !== 200).map((res) => [res.statusCode, res.json().error]),
    Array.from({ length: 49 }, () => [400, 'invalid_grant']),
  )
  const body = won[0]!.json()
  t.type(body.refresh_token, 'string')
  for (const [name, app] of [['A', a!.app], ['B', b!.app]] as const) {
    const userinfo = await getUserinfo(app, body.access_token)
    t.equal(userinfo.statusCode, 401, `the winner's access token is refused at ${name}`)
    t.equal(userinfo.json().error, 'invalid_token')
    t.strictSame((await introspect(app, body.access_token)).json(), { active: false })
    const refreshed = await postToken(app, refreshGrant(body.refresh_token))
    t.strictSame([refreshed.statusCode, refreshed.json().error], [400, 'invalid_grant'], `the winner's refresh token is refused at ${name}`)
  }
})

t.test('50 concurrent uses of one rotating refresh token across two replicas: at most one 200, and the family revoked', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type: 'rotating' } })
  // Each request spans a few of this clock's seconds, as under a slow database.
  const [a, b] = await buildReplicas(t, url, t.testdir(), 2, { tenant }, { clock: fastClock(100) })
  const first = await organizerTokens(a!.app, { scope: 'openid offline_access' })
  const r1 = first.refresh_token!
  // rotation works across replicas: r1 → r2 at B, r2 → r3 at A
  const second = await postToken(b!.app, refreshGrant(r1))
  t.equal(second.statusCode, 200)
  const r2 = second.json().refresh_token as string
  t.not(r2, r1)
  const third = await postToken(a!.app, refreshGrant(r2))
  t.equal(third.statusCode, 200)
  const r3 = third.json().refresh_token as string

  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => postToken((i % 2 === 0 ? a : b)!.app, refreshGrant(r3))))
  const won = results.filter((res) => res.statusCode === 200)
  t.ok(won.length <= 1, `at most one use succeeds (got ${won.length})`)
  t.strictSame(
    results.filter((res) => res.statusCode !== 200).map((res) => [res.statusCode, res.json().error]),
    Array.from({ length: 50 - won.length }, () => [400, 'invalid_grant']),
  )
  const newest = won.length === 1 ? (won[0]!.json().refresh_token as string) : undefined
  for (const [name, app] of [['A', a!.app], ['B', b!.app]] as const) {
    for (const token of [r3, ...(newest === undefined ? [] : [newest])]) {
      const res = await postToken(app, refreshGrant(token))
      t.strictSame([res.statusCode, res.json().error], [400, 'invalid_grant'], `${token === r3 ? 'r3' : "the winner's token"} is refused at ${name}`)
    }
  }
  if (newest !== undefined) t.not(newest, r3, 'the winner got a new refresh token')
})

t.test('a browser whose every request lands on another replica (no sticky sessions) gets through login, consent and the code', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const [a, b] = await buildReplicas(t, url, t.testdir(), 2)
  const request = organizerRequest()
  const start = await startAuthorize(a!.app, request)
  t.match(start.headers.location, /^\/login\//)
  const { csrf, cookie: loginCookie } = await openLogin(b!.app, locationOf(start))
  const login = await postForm(a!.app, locationOf(start), { csrf, username: 'alice', password: 'wonderland' }, loginCookie)
  t.equal(login.statusCode, 303, 'the login form shown by B is accepted by A')
  const cookie = sessionCookie(login)
  const resumed = await b!.app.inject({ url: locationOf(login), headers: { cookie } })
  t.equal(resumed.statusCode, 303)
  t.match(resumed.headers.location, /^\/consent\//)
  const consentPage = await a!.app.inject({ url: locationOf(resumed), headers: { cookie } })
  t.equal(consentPage.statusCode, 200)
  const consented = await postForm(b!.app, locationOf(resumed), { csrf: hiddenField(consentPage.body, 'csrf'), decision: 'allow' }, cookie)
  t.equal(consented.statusCode, 303, 'the consent form shown by A is accepted by B')
  const done = await a!.app.inject({ url: locationOf(consented), headers: { cookie } })
  t.equal(done.statusCode, 303)
  const { code, state } = queryOf(locationOf(done))
  t.equal(state, 'st-1')
  t.equal((await postToken(b!.app, codeGrant(code!))).statusCode, 200)
})

/** One login page of one browser (opened at `app`), whose form may be posted to any replica; the answer's status and message. */
async function loginForm(app: FastifyInstance) {
  const location = locationOf(await startAuthorize(app, organizerRequest()))
  const { csrf, cookie } = await openLogin(app, location)
  return async (on: FastifyInstance, password: string) => {
    const res = await postForm(on, location, { csrf, username: 'alice', password }, cookie)
    return [res.statusCode, /<p id="login-error" class="error" role="alert">([^<]*)<\/p>/.exec(res.body)?.[1] ?? ''] as const
  }
}

const WRONG = [400, 'Wrong username or password.'] as const
const BLOCKED = [429, 'Your account has been blocked after multiple consecutive login attempts.'] as const

t.test('brute-force protection counts failed logins on every replica together', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const [a, b] = await buildReplicas(t, url, t.testdir(), 2)
  const post = await loginForm(a!.app)
  for (let i = 1; i <= 10; i++) t.strictSame(await post((i % 2 === 0 ? a : b)!.app, `wrong-${i}`), WRONG, `attempt ${i}`)
  t.strictSame(await post(a!.app, 'wonderland'), BLOCKED, 'blocked at A')
  t.strictSame(await post(b!.app, 'wonderland'), BLOCKED, 'blocked at B')
})

t.test('200 concurrent wrong passwords spread over two replicas: only max_attempts (10) of them are tried', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const [a, b] = await buildReplicas(t, url, t.testdir(), 2)
  const post = await loginForm(a!.app)
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => post((i % 2 === 0 ? a : b)!.app, `guess-${i}`)))
  t.strictSame(
    answers.filter((answer) => answer[0] !== WRONG[0] && answer[0] !== BLOCKED[0]),
    [],
    'every answer is a wrong password or a block',
  )
  let compared = answers.filter(([status]) => status === WRONG[0]).length
  t.ok(compared <= 10, `at most 10 passwords were compared in the burst (${compared})`)
  // Attempts refused unseen are not failures: the pair is blocked once 10 passwords in all were wrong.
  for (let i = 0; compared < 10 && i < 10; i++) {
    t.strictSame(await post((i % 2 === 0 ? a : b)!.app, `more-${i}`), WRONG)
    compared++
  }
  t.strictSame(await post(a!.app, 'wonderland'), BLOCKED, 'blocked at A')
  t.strictSame(await post(b!.app, 'wonderland'), BLOCKED, 'blocked at B')
})
