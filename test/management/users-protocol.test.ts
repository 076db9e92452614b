// What the Management API changes about users holds from the next protocol request on: new users sign
// in at once, a changed password is the one that works, blocked users are refused, deleted users are gone.
import t from 'tap'
import { openLogin, postForm, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { BACKEND_BASIC, errorOf, organizerTokens, postToken, refreshGrant, verifiedClaims } from '../helpers/tokens.js'
import { buildManagementServer, userPath } from './helpers.js'

const CONNECTION = 'Username-Password-Authentication'
const BROWSER_REQUEST = { client_id: 'first-party', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid email', nonce: 'n-1', state: 'st-1' }

const passwordGrant = (app: Parameters<typeof postToken>[0], username: string, password: string) =>
  postToken(app, { grant_type: 'password', username, password, scope: 'openid email' }, { authorization: BACKEND_BASIC })

/** Submits the login page of a fresh /authorize request. */
async function submitLoginPage(app: Parameters<typeof postToken>[0], username: string, password: string) {
  const location = String((await startAuthorize(app, BROWSER_REQUEST)).headers.location)
  const { csrf, cookie } = await openLogin(app, location)
  return postForm(app, location, { csrf, username, password }, cookie)
}

t.test('a user created through the API signs in at once, at the login page and with the password grant', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const created = (await api.post('/users', { connection: CONNECTION, email: 'gina@example.com', username: 'gina', password: 'g1na-pw', email_verified: true })).json()

  const { res } = await signIn(app, BROWSER_REQUEST, { username: 'gina@example.com', password: 'g1na-pw' })
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, /#id_token=/, 'the login page accepted the new user')

  const token = await passwordGrant(app, 'gina', 'g1na-pw')
  t.equal(token.statusCode, 200)
  const id = await verifiedClaims(app, token.json().id_token)
  t.match(id, { sub: created.user_id, email: 'gina@example.com', email_verified: true })
})

t.test('a changed password is the only one that works', async (t) => {
  const { app, api } = await buildManagementServer(t)
  t.equal((await api.patch(userPath('auth0|alice'), { password: 'new-secret' })).statusCode, 200)
  t.strictSame(errorOf(await passwordGrant(app, 'alice', 'wonderland')), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'Wrong email or password.',
  })
  t.equal((await passwordGrant(app, 'alice', 'new-secret')).statusCode, 200)
})

t.test('a blocked user: the password grant answers 401 unauthorized, "user is blocked"', async (t) => {
  const { app, api } = await buildManagementServer(t)
  t.equal((await api.patch(userPath('auth0|alice'), { blocked: true })).json().blocked, true)
  t.strictSame(errorOf(await passwordGrant(app, 'alice', 'wonderland')), { status: 401, error: 'unauthorized', error_description: 'user is blocked' })
  t.strictSame(
    errorOf(await passwordGrant(app, 'alice', 'wrong')),
    { status: 400, error: 'invalid_grant', error_description: 'Wrong email or password.' },
    'without the right password, nothing tells the user is blocked',
  )
  t.equal((await api.patch(userPath('auth0|alice'), { blocked: false })).statusCode, 200)
  t.equal((await passwordGrant(app, 'alice', 'wonderland')).statusCode, 200, 'unblocked: signs in again')
})

t.test('a blocked user: the login page refuses, no session starts', async (t) => {
  const { app, api } = await buildManagementServer(t)
  await api.post('/users', { connection: CONNECTION, email: 'hank@example.com', password: 'h4nk', blocked: true })
  const res = await submitLoginPage(app, 'hank@example.com', 'h4nk')
  t.equal(res.statusCode, 400)
  t.match(res.body, '<p id="login-error" class="error" role="alert">user is blocked</p>')
  t.notOk(res.cookies.some((c) => c.name === 'gatehouse_session'), 'no session cookie')
  const wrong = await submitLoginPage(app, 'hank@example.com', 'wrong')
  t.match(wrong.body, 'Wrong username or password.', 'a wrong password is just wrong')

  await api.patch(userPath((await api.get('/users-by-email', { email: 'hank@example.com' })).json()[0].user_id), { blocked: false })
  const after = await submitLoginPage(app, 'hank@example.com', 'h4nk')
  t.equal(after.statusCode, 303, 'unblocked: the login goes through')
})

t.test('a deleted user can no longer sign in, and their session ends', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const { cookie } = await signIn(app, BROWSER_REQUEST)
  t.equal((await startAuthorize(app, BROWSER_REQUEST, cookie)).headers.location?.startsWith(CALLBACK), true, 'the session signs alice in silently')
  t.equal((await api.delete(userPath('auth0|alice'))).statusCode, 204)
  t.match((await startAuthorize(app, BROWSER_REQUEST, cookie)).headers.location, /^\/login\//, 'the session no longer counts')
  t.equal((await passwordGrant(app, 'alice', 'wonderland')).json().error, 'invalid_grant')
})

t.test('a user blocked after signing in: silent authentication ends at the redirect_uri', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const { cookie } = await signIn(app, BROWSER_REQUEST)
  t.equal((await api.patch(userPath('auth0|alice'), { blocked: true })).statusCode, 200)

  const silent = await startAuthorize(app, { ...BROWSER_REQUEST, prompt: 'none' }, cookie)
  t.equal(silent.statusCode, 303)
  const answer = Object.fromEntries(new URLSearchParams(new URL(String(silent.headers.location)).hash.slice(1)))
  t.strictSame(answer, { error: 'unauthorized', error_description: 'user is blocked', state: 'st-1' })
})

t.test('a user blocked after signing in: their refresh token is refused', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const { refresh_token: refreshToken } = await organizerTokens(app, { scope: 'openid offline_access' })
  t.type(refreshToken, 'string')
  t.equal((await api.patch(userPath('auth0|alice'), { blocked: true })).statusCode, 200)
  t.strictSame(errorOf(await postToken(app, refreshGrant(refreshToken!))), { status: 401, error: 'unauthorized', error_description: 'user is blocked' })
})
