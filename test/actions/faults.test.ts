// Actions that throw, reject, run out of time or never give their thread back fail their flow with
// Auth0's error, are logged with their stack, and never stop or hold up the server.
import t from 'tap'
import { signIn } from '../helpers/server.js'
import { actionServer, IMPLICIT, passwordGrant, postLogin, tokensOf } from './helpers.js'

const answerOf = (location: string) => Object.fromEntries(new URLSearchParams(new URL(location).hash.slice(1)))

t.test('an Action that throws: access_denied with its message, logged with its stack', async (t) => {
  const { app, logs, events } = await actionServer(t, [postLogin('profile', 'throws.js')])
  const { res } = await signIn(app, IMPLICIT)
  t.same(answerOf(res.headers.location!), {
    error: 'access_denied',
    error_description: `Action "profile" failed: Cannot read properties of undefined (reading 'nickname')`,
    state: 'st-1',
  })
  const logged = logs().find((line) => line.level === 50)!
  t.match(logged.msg, /^Action "profile" \(post-login\) failed after \d+ ms: TypeError: Cannot read properties of undefined \(reading 'nickname'\)$/)
  t.match(logged.stack, /fixtures\/throws\.js:3/)
  t.match(logged, { action: 'profile', trigger: 'post-login', handler: 'onExecutePostLogin' })
  const failed = events.list().filter((e) => e.kind === 'action.failed')
  t.equal(failed.length, 1)
  t.match(failed[0], { client_id: 'first-party', user_id: 'auth0|alice', state: 'st-1', detail: `access_denied: Action "profile" failed: Cannot read properties of undefined (reading 'nickname')` })
  t.match(failed[0]!.summary, /^Action "profile" \(post-login\) failed after \d+ ms: TypeError: /)
})

t.test('an Action that rejects; at the token endpoint the same error is JSON', async (t) => {
  const { app } = await actionServer(t, [postLogin('lookup', 'rejects.js')])
  const { res } = await signIn(app, IMPLICIT)
  t.same(answerOf(res.headers.location!), { error: 'access_denied', error_description: 'Action "lookup" failed: the profile service said no', state: 'st-1' })
  const token = await app.inject(passwordGrant())
  t.equal(token.statusCode, 403)
  t.same(token.json(), { error: 'access_denied', error_description: 'Action "lookup" failed: the profile service said no' })
})

t.test('an Action past its timeout: server_error; its thread, only waiting, is kept', async (t) => {
  const { app, logs } = await actionServer(t, [postLogin('slow', 'slow.js', { timeoutMs: 300 })])
  const { res } = await signIn(app, IMPLICIT)
  t.same(answerOf(res.headers.location!), { error: 'server_error', error_description: 'Action "slow" exceeded allowed execution time (300 ms)', state: 'st-1' })
  const token = await app.inject(passwordGrant())
  t.equal(token.statusCode, 500)
  t.same(token.json(), { error: 'server_error', error_description: 'Action "slow" exceeded allowed execution time (300 ms)' })
  await new Promise((resolve) => setTimeout(resolve, 400))
  t.notOk(logs().some((line) => line.msg.includes('the thread was stopped')), 'a thread that answers its ping is not stopped')
})

for (const [file, what] of [
  ['endless-loop.js', 'a synchronous endless loop'],
  ['endless-loop-after-await.js', 'an endless loop after an await'],
] as const) {
  t.test(`${what}: server_error at the deadline, the thread is replaced, the server answers throughout`, async (t) => {
    const { app, logs } = await actionServer(t, [postLogin('loop', file, { timeoutMs: 1000 })])
    const pending = signIn(app, IMPLICIT)
    const discovery = await app.inject({ url: '/.well-known/openid-configuration' })
    t.equal(discovery.statusCode, 200, 'answered while the Action loops')
    const { res } = await pending
    t.same(answerOf(res.headers.location!), { error: 'server_error', error_description: 'Action "loop" exceeded allowed execution time (1000 ms)', state: 'st-1' })
    for (let i = 0; i < 50 && !logs().some((line) => line.msg.includes('the thread was stopped')); i++) await new Promise((r) => setTimeout(r, 20))
    t.ok(logs().some((line) => line.level === 40 && line.msg === 'an Action kept its thread busy past its deadline (a synchronous loop?); the thread was stopped'))
  })
}

t.test('runs waiting behind a stuck thread move to its replacement; the next run gets the new thread', async (t) => {
  const { app, events } = await actionServer(t, [postLogin('guard', 'loop-for-bob.js', { timeoutMs: 1000 })])
  // bob's run first, so that alice's surely waits behind it rather than running before it
  const bobSignIn = signIn(app, IMPLICIT, { username: 'bob', password: 'builder' })
  for (let i = 0; i < 250 && !events.list().some((e) => e.kind === 'login.succeeded'); i++) await new Promise((r) => setTimeout(r, 20))
  await new Promise((r) => setTimeout(r, 100))
  const [bob, alice] = await Promise.all([bobSignIn, signIn(app, IMPLICIT)])
  t.same(answerOf(bob.res.headers.location!), { error: 'server_error', error_description: 'Action "guard" exceeded allowed execution time (1000 ms)', state: 'st-1' })
  t.equal(tokensOf(alice.res.headers.location!).id['https://gatehouse.test/ok'], true, 'alice signed in all the same')
  const again = await signIn(app, IMPLICIT)
  t.equal(tokensOf(again.res.headers.location!).id['https://gatehouse.test/ok'], true)
})

t.test("process.exit() in an Action stops its thread, not the server; the next run gets a new thread", async (t) => {
  const { app } = await actionServer(t, [postLogin('quitter', 'exits.js')])
  const bob = await signIn(app, IMPLICIT, { username: 'bob', password: 'builder' })
  t.same(answerOf(bob.res.headers.location!), {
    error: 'server_error',
    error_description: 'Action "quitter" could not finish: the Action thread exited (code 3)',
    state: 'st-1',
  })
  const alice = await signIn(app, IMPLICIT)
  t.match(alice.res.headers.location, /#access_token=/)
})

t.test('errors an Action leaves behind in timers and promises are logged; its thread goes on', async (t) => {
  const { app, logs } = await actionServer(t, [postLogin('sloppy', 'leaves-error.js')])
  const first = await signIn(app, IMPLICIT)
  t.equal(tokensOf(first.res.headers.location!).id['https://gatehouse.test/ok'], true)
  for (let i = 0; i < 50 && logs().filter((line) => line.msg.startsWith('Action output: an Action left')).length < 2; i++) await new Promise((r) => setTimeout(r, 20))
  const left = logs().filter((line) => line.msg.startsWith('Action output: an Action left')).map((line) => line.msg)
  t.same(left.sort(), ['Action output: an Action left a promise rejected: Error: rejected later', 'Action output: an Action left an error thrown: Error: thrown later'])
  const second = await signIn(app, IMPLICIT)
  t.equal(tokensOf(second.res.headers.location!).id['https://gatehouse.test/ok'], true)
})
