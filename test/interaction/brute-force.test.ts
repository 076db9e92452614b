// Brute-force protection (Auth0's attack protection): failed logins per user and IP; blocked after max_attempts.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { BLOCK_SECONDS } from '../../src/attack-protection/brute-force.js'
import { buildServerWithStore, buildTestServer, openLogin, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { BACKEND_BASIC, errorOf } from '../helpers/tokens.js'

const base = { client_id: 'first-party', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 'st-1' }
const BLOCKED = 'Your account has been blocked after multiple consecutive login attempts.'
const WRONG = 'Wrong username or password.'

/** One login page (one browser) that can be posted to again and again, from `ip`. */
async function loginForm(app: FastifyInstance) {
  const location = String((await startAuthorize(app, base)).headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  return (username: string, password: string, ip = '127.0.0.1') =>
    app.inject({
      method: 'POST',
      url: location,
      remoteAddress: ip,
      payload: new URLSearchParams({ csrf, username, password }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    })
}

const messageOf = (html: string) => /<p id="login-error" class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1]

const passwordGrant = (app: FastifyInstance, username: string, password: string, ip = '127.0.0.1') =>
  app.inject({
    method: 'POST',
    url: '/oauth/token',
    remoteAddress: ip,
    payload: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: BACKEND_BASIC },
  })

t.test('10 wrong passwords, then even the right one is refused with Auth0\'s message', async (t) => {
  const { app } = await buildTestServer(t)
  const post = await loginForm(app)
  for (let i = 1; i <= 10; i++) {
    const res = await post('alice', `wrong-${i}`)
    t.equal(res.statusCode, 400, `attempt ${i}`)
    t.equal(messageOf(res.body), WRONG)
  }
  const right = await post('alice', 'wonderland')
  t.equal(right.statusCode, 429)
  t.equal(right.headers['set-cookie'], undefined, 'no session')
  t.equal(messageOf(right.body), BLOCKED)
  t.match(right.body, 'name="username" autocomplete="username" value="alice"', 'the username is kept')
})

t.test('500 wrong passwords at once, then the right one: blocked', async (t) => {
  const { app } = await buildTestServer(t)
  const post = await loginForm(app)
  const answers = await Promise.all(Array.from({ length: 500 }, (_, i) => post('alice', `guess-${i}`)))
  t.equal(answers.filter((res) => res.statusCode === 400 && messageOf(res.body) === WRONG).length, 10, 'only 10 passwords were tried')
  t.equal(answers.filter((res) => res.statusCode === 429 && messageOf(res.body) === BLOCKED).length, 490, 'the rest were refused unseen')
  t.equal((await post('alice', 'wonderland')).statusCode, 429)

  const grants = await Promise.all(Array.from({ length: 500 }, (_, i) => passwordGrant(app, 'bob', `guess-${i}`)))
  t.equal(grants.filter((res) => res.statusCode === 400 && res.json().error === 'invalid_grant').length, 10, 'the password grant too')
  const blocked = { status: 429, error: 'too_many_attempts', error_description: BLOCKED }
  t.equal(grants.filter((res) => JSON.stringify(errorOf(res)) === JSON.stringify(blocked)).length, 490)
  t.strictSame(errorOf(await passwordGrant(app, 'bob', 'builder')), { status: 429, error: 'too_many_attempts', error_description: BLOCKED })
})

t.test('a successful login resets the count', async (t) => {
  const { app } = await buildTestServer(t)
  for (let round = 0; round < 3; round++) {
    const post = await loginForm(app)
    for (let i = 0; i < 9; i++) t.equal((await post('alice', 'wrong')).statusCode, 400)
    t.equal((await post('alice', 'wonderland')).statusCode, 303, `round ${round}: the 10th attempt is right`)
  }
})

t.test('counted per user and IP: another address, or another user, is not blocked', async (t) => {
  const { app } = await buildTestServer(t)
  const post = await loginForm(app)
  for (let i = 0; i < 10; i++) await post('alice', 'wrong', '192.0.2.1')
  t.equal((await post('alice', 'wonderland', '192.0.2.1')).statusCode, 429)
  t.equal((await post('alice', 'wonderland', '192.0.2.2')).statusCode, 303, 'alice from elsewhere')
  t.equal((await (await loginForm(app))('bob', 'builder', '192.0.2.1')).statusCode, 303, 'bob from the same address')
})

t.test("a user's username and email share one count", async (t) => {
  const { app } = await buildTestServer(t)
  const post = await loginForm(app)
  for (let i = 0; i < 5; i++) await post('alice', 'wrong')
  for (let i = 0; i < 5; i++) await post('ALICE@example.com', 'wrong')
  t.equal(messageOf((await post('alice@example.com', 'wonderland')).body), BLOCKED)
})

t.test('unknown users are counted the same way, so the answers do not tell who exists', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  const post = await loginForm(app)
  const answers = async (username: string) => {
    const seen: [number, string | undefined][] = []
    for (let i = 0; i < 11; i++) {
      const res = await post(username, 'wrong')
      seen.push([res.statusCode, messageOf(res.body)])
    }
    return seen
  }
  const known = await answers('bob')
  t.strictSame(await answers('nobody'), known)
  t.strictSame(known.at(-1), [429, BLOCKED])
  t.match(errorOf(await passwordGrant(app, 'nobody', 'wrong')), { status: 429, error: 'too_many_attempts' })
  t.notMatch(JSON.stringify(await store.list('login_attempt')), 'nobody', 'what was typed is kept only as a hash')
})

t.test('the login page and the password grant share the count', async (t) => {
  const { app } = await buildTestServer(t)
  const post = await loginForm(app)
  for (let i = 0; i < 5; i++) await post('alice', 'wrong')
  for (let i = 0; i < 5; i++) {
    t.strictSame(errorOf(await passwordGrant(app, 'alice', 'wrong')), { status: 400, error: 'invalid_grant', error_description: 'Wrong email or password.' })
  }
  t.strictSame(errorOf(await passwordGrant(app, 'alice', 'wonderland')), { status: 429, error: 'too_many_attempts', error_description: BLOCKED })
  t.equal((await post('alice', 'wonderland')).statusCode, 429)
})

t.test(`a block lasts ${BLOCK_SECONDS} seconds from the failure that set it; counters expire in the store`, async (t) => {
  const { app, clock, store } = await buildServerWithStore(t)
  const post = await loginForm(app)
  for (let i = 0; i < 10; i++) await post('alice', 'wrong')
  t.equal((await post('alice', 'wonderland')).statusCode, 429)
  const stored = await store.list<Record<string, unknown>>('login_attempt')
  t.equal(stored.length, 10, 'one entry per failure')
  t.strictSame(
    stored.map(({ subject, ip, ...rest }) => ({ subject, ip, keys: Object.keys(rest) })),
    Array.from({ length: 10 }, () => ({ subject: 'user:auth0|alice', ip: '127.0.0.1', keys: ['id'] })),
    'no password is stored, and a blocked attempt adds nothing',
  )
  clock.advance(BLOCK_SECONDS - 1)
  // a new login page: the first one's interaction is long gone
  t.equal((await (await loginForm(app))('alice', 'wonderland')).statusCode, 429, 'attempts while blocked do not extend the block')
  clock.advance(1)
  t.strictSame(await store.list('login_attempt'), [], 'gone')
  const later = await loginForm(app)
  t.equal((await later('alice', 'wonderland')).statusCode, 303)
})

t.test('max_attempts is configurable', async (t) => {
  const { app } = await buildTestServer(t, { attackProtection: { brute_force_protection: { max_attempts: 3 } } })
  const post = await loginForm(app)
  for (let i = 0; i < 3; i++) t.equal((await post('alice', 'wrong')).statusCode, 400)
  t.equal((await post('alice', 'wonderland')).statusCode, 429)
})

t.test('enabled: false turns it off, for load tests', async (t) => {
  const { app } = await buildTestServer(t, { attackProtection: { brute_force_protection: { enabled: false } } })
  const post = await loginForm(app)
  await Promise.all(Array.from({ length: 500 }, () => post('alice', 'wrong')))
  t.equal((await post('alice', 'wonderland')).statusCode, 303)
  await Promise.all(Array.from({ length: 50 }, () => passwordGrant(app, 'bob', 'wrong')))
  t.equal((await passwordGrant(app, 'bob', 'builder')).statusCode, 200)
})
