// A persistent store outlives the process: after kill -9 and a start with the same arguments, the
// browser's session, the user's consent, the refresh tokens and the signing keys are all still there;
// a start with a changed config file applies the change and keeps what users already have.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { freshPostgres } from '../helpers/postgres.js'
import { freePort, startAppServer } from '../helpers/listen.js'
import { answerConsent, HttpBrowser, logIn, startCli, type CliProcess } from '../helpers/replicas.js'
import { CHALLENGE, VERIFIER } from '../helpers/tokens.js'

interface Tenant {
  /** where the client app's pages live, http://127.0.0.1:<port> */
  app: string
  clientName?: string
  extraCallbacks?: string[]
  extraUsers?: { user_id: string; username: string; email: string; password: string }[]
}

/** A config file in Auth0's names: one third-party SPA (so consent is asked) and one user. */
const configFile = ({ app, clientName = 'Shop', extraCallbacks = [], extraUsers = [] }: Tenant) => ({
  playground: false,
  clients: [
    {
      client_id: 'shop',
      name: clientName,
      app_type: 'spa',
      is_first_party: false,
      callbacks: [`${app}/callback`, ...extraCallbacks],
      grant_types: ['authorization_code', 'refresh_token'],
    },
  ],
  users: [{ user_id: 'auth0|alice', username: 'alice', email: 'alice@example.com', password: 'wonderland', name: 'Alice' }, ...extraUsers],
})

const authorizeParams = (redirectUri: string, extra: Record<string, string> = {}) => ({
  client_id: 'shop',
  response_type: 'code',
  redirect_uri: redirectUri,
  scope: 'openid profile offline_access',
  state: 'st-1',
  nonce: 'n-1',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  ...extra,
})

const authorizeUrl = (server: CliProcess, params: Record<string, string>) => `${server.url}/authorize?${new URLSearchParams(params)}`

/** POST /oauth/token over HTTP; the status and the JSON body. */
async function token(server: CliProcess, form: Record<string, string>) {
  const res = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  })
  return { status: res.status, body: (await res.json()) as Record<string, string> }
}

const exchange = (server: CliProcess, code: string, redirectUri: string) =>
  token(server, { grant_type: 'authorization_code', client_id: 'shop', code, redirect_uri: redirectUri, code_verifier: VERIFIER })

const refresh = (server: CliProcess, refreshToken: string) =>
  token(server, { grant_type: 'refresh_token', client_id: 'shop', refresh_token: refreshToken })

const jwksOf = async (server: CliProcess) => (await fetch(`${server.url}/.well-known/jwks.json`)).text()

/** The code in a redirect to `redirectUri`, after checking that it is one, with the state and no error. */
function codeIn(t: Test, location: string | undefined, redirectUri: string): string {
  t.ok(location?.startsWith(`${redirectUri}?`), `redirected to ${redirectUri}`)
  const params = Object.fromEntries(new URL(location ?? 'http://invalid/').searchParams)
  t.strictSame(Object.keys(params).sort(), ['code', 'state'], `a code, no error: ${location}`)
  t.equal(params.state, 'st-1')
  return params.code ?? ''
}

/** Login (and consent) in a fresh browser: the browser and the redirect it ends on; `consentPage` is the page shown. */
async function signInOverHttp(t: Test, server: CliProcess, redirectUri: string, username: string, password: string) {
  const browser = new HttpBrowser()
  const start = await browser.get(authorizeUrl(server, authorizeParams(redirectUri)))
  t.equal(start.status, 303)
  t.match(start.location, `${server.url}/login/`)
  const login = await logIn(browser, start.location!, username, password)
  t.equal(login.status, 303, `${username} is logged in`)
  t.ok(browser.cookies.has('gatehouse_session'), 'a session cookie')
  const resumed = await browser.get(login.location!)
  t.equal(resumed.status, 303)
  t.match(resumed.location, `${server.url}/consent/`, 'consent is asked')
  const { page: consentPage, answer } = await answerConsent(browser, resumed.location!)
  t.equal(answer.status, 303)
  const done = await browser.get(answer.location!)
  t.equal(done.status, 303)
  const code = codeIn(t, done.location, redirectUri)
  // The redirect reaches the client's page.
  t.equal((await fetch(done.location!)).status, 200, 'the client app received the redirect')
  return { browser, code, consentPage }
}

/** GET /authorize with the browser's session, with and without prompt=none: straight back to the client with a code. */
async function silentCode(t: Test, server: CliProcess, browser: HttpBrowser, redirectUri: string): Promise<string> {
  const silent = await browser.get(authorizeUrl(server, authorizeParams(redirectUri, { prompt: 'none' })))
  t.equal(silent.status, 303)
  codeIn(t, silent.location, redirectUri)
  const plain = await browser.get(authorizeUrl(server, authorizeParams(redirectUri)))
  t.equal(plain.status, 303)
  return codeIn(t, plain.location, redirectUri)
}

const stores = [
  { name: 'sqlite', url: async (_t: Test, dir: string) => `sqlite:${join(dir, 'state', 'gatehouse.db')}` },
  { name: 'postgres', url: async (t: Test) => freshPostgres(t) },
]

for (const { name, url } of stores) {
  t.test(`${name}: after kill -9 and a start with the same arguments, session, consent, refresh token and keys remain`, async (t) => {
    const dir = t.testdir()
    const store = await url(t, dir)
    if (!store) return
    const app = await startAppServer(t)
    const callback = `${app.origin}/callback`
    const file = join(dir, 'gatehouse.json')
    writeFileSync(file, JSON.stringify(configFile({ app: app.origin })))
    const args = ['--config', file, '--store', store, '--port', String(await freePort()), '--keys-dir', join(dir, 'keys')]

    const first = await startCli(t, args)
    const { browser, code } = await signInOverHttp(t, first, callback, 'alice', 'wonderland')
    const exchanged = await exchange(first, code, callback)
    t.equal(exchanged.status, 200)
    t.type(exchanged.body.refresh_token, 'string', 'offline_access gives a refresh token')
    t.type(exchanged.body.id_token, 'string')
    const refreshed = await refresh(first, exchanged.body.refresh_token!)
    t.equal(refreshed.status, 200)
    const keys = await jwksOf(first)
    t.strictSame(await first.kill('SIGKILL'), { code: null, signal: 'SIGKILL' })

    const second = await startCli(t, args)
    t.equal(second.url, first.url, 'the same address')
    t.equal(await jwksOf(second), keys, 'the same signing keys')
    const again = await silentCode(t, second, browser, callback)
    t.equal((await exchange(second, again, callback)).status, 200, 'the new code is redeemed')
    const later = await refresh(second, exchanged.body.refresh_token!)
    t.equal(later.status, 200, 'the refresh token issued before the kill still works')
    t.equal(later.body.token_type, 'Bearer')
    t.strictSame(await second.kill('SIGTERM'), { code: 0, signal: null })
  })

  t.test(`${name}: a start with a changed config file applies the change and keeps the session`, async (t) => {
    const dir = t.testdir()
    const store = await url(t, dir)
    if (!store) return
    const app = await startAppServer(t)
    const callback = `${app.origin}/callback`
    const second = `${app.origin}/second`
    app.route({ path: '/second', contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>Second</title>' })
    const file = join(dir, 'gatehouse.json')
    writeFileSync(file, JSON.stringify(configFile({ app: app.origin })))
    const args = ['--config', file, '--store', store, '--port', String(await freePort()), '--keys-dir', join(dir, 'keys')]

    const before = await startCli(t, args)
    const { browser, consentPage } = await signInOverHttp(t, before, callback, 'alice', 'wonderland')
    t.match(consentPage.body, 'Shop')
    const refused = await browser.get(authorizeUrl(before, authorizeParams(second, { prompt: 'none' })))
    t.equal(refused.status, 400, 'the new callback is not allowed yet')
    t.equal(refused.location, undefined, 'and not redirected to')
    const carolBefore = new HttpBrowser()
    const loginBefore = await carolBefore.get(authorizeUrl(before, authorizeParams(callback)))
    t.equal((await logIn(carolBefore, loginBefore.location!, 'carol', 'in-the-config-now')).status, 400, 'carol is not a user yet')
    t.strictSame(await before.kill('SIGKILL'), { code: null, signal: 'SIGKILL' })

    const carol = { user_id: 'auth0|carol', username: 'carol', email: 'carol@example.com', password: 'in-the-config-now' }
    writeFileSync(file, JSON.stringify(configFile({ app: app.origin, clientName: 'Shop Deluxe', extraCallbacks: [second], extraUsers: [carol] })))
    const after = await startCli(t, args)
    // alice's session and consent work with the new callback
    const code = await silentCode(t, after, browser, second)
    t.equal((await exchange(after, code, second)).status, 200)
    // carol can log in, and the consent page names the client by its new name
    const signedIn = await signInOverHttp(t, after, callback, 'carol', 'in-the-config-now')
    t.match(signedIn.consentPage.body, 'Shop Deluxe')
    const tokens = await exchange(after, signedIn.code, callback)
    t.equal(tokens.status, 200)
    const claims = JSON.parse(Buffer.from(tokens.body.id_token!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>
    t.equal(claims.sub, 'auth0|carol')
  })
}

t.test('sqlite: a start with a config file that no longer lists a user or a callback forgets them', async (t) => {
  const dir = t.testdir()
  const app = await startAppServer(t)
  const callback = `${app.origin}/callback`
  const second = `${app.origin}/second`
  const file = join(dir, 'gatehouse.json')
  const carol = { user_id: 'auth0|carol', username: 'carol', email: 'carol@example.com', password: 'soon-gone' }
  writeFileSync(file, JSON.stringify(configFile({ app: app.origin, extraCallbacks: [second], extraUsers: [carol] })))
  const args = ['--config', file, '--store', `sqlite:${join(dir, 'gatehouse.db')}`, '--port', '0', '--keys-dir', join(dir, 'keys')]
  const before = await startCli(t, args)
  await signInOverHttp(t, before, callback, 'carol', 'soon-gone')
  t.strictSame(await before.kill('SIGTERM'), { code: 0, signal: null })

  writeFileSync(file, JSON.stringify(configFile({ app: app.origin })))
  const after = await startCli(t, args)
  const browser = new HttpBrowser()
  const removedCallback = await browser.get(authorizeUrl(after, authorizeParams(second)))
  t.equal(removedCallback.status, 400, 'the callback taken out of the config is refused')
  const start = await browser.get(authorizeUrl(after, authorizeParams(callback)))
  const login = await logIn(browser, start.location!, 'carol', 'soon-gone')
  t.equal(login.status, 400, 'the user taken out of the config cannot log in')
  t.notOk(browser.cookies.has('gatehouse_session'), 'no session')
})
