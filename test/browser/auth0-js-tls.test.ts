// auth0-js (Auth0's browser SDK, unmodified, no overrides) in Chromium against Gatehouse over --tls, with
// `domain: 'localhost:PORT'` as for an Auth0 tenant: authorize → login page → consent page → parseHash →
// checkSession (hidden iframe, web_message) → logout. The app runs on another site (https://127.0.0.1:…),
// so silent authentication needs the session cookie to be SameSite=None; Secure.
//
// Chromium trusts the server certificate that the development CA issued, and only it, by its key's SPKI
// hash (--ignore-certificate-errors-spki-list; the server sends no chain, so the pin is on server.pem):
// certificate checking stays on for everything else, which the first test shows with another CA's.
import { createHash, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type ServerOptions } from 'node:https'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { chromium, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { buildServer } from '../../src/server.js'
import { createCaCertificate, generatePrivateKeyPem, issueServerCertificate } from '../../src/tls/certificates.js'
import { developmentTlsPaths } from '../../src/tls/paths.js'
import { serverNames } from '../../src/tls/server-names.js'
import { CHROMIUM_ARGS, CHROMIUM_LAUNCHER, needsChromium } from '../helpers/browser.js'
import { freePort } from '../helpers/listen.js'
import { testConfig, testTenant } from '../helpers/tenant.js'
import { httpsGet } from '../tls/helpers.js'
import { madeKey } from '../helpers/made-keys.js'

const AUTH0_JS = readFileSync(createRequire(import.meta.url).resolve('auth0-js/dist/auth0.min.js'))

const INDEX = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>auth0-js app</title>
<script src="/auth0.js"></script><script src="/app.js"></script></head>
<body><h1>auth0-js app</h1></body></html>
`

interface AppWindow {
  webAuth: {
    authorize(options?: Record<string, unknown>): void
    parseHash(options: Record<string, unknown>, cb: (err: unknown, result: unknown) => void): void
    checkSession(options: Record<string, unknown>, cb: (err: unknown, result: unknown) => void): void
    logout(options: Record<string, unknown>): void
  }
}
declare const window: AppWindow

type Outcome = { ok: true; result: Record<string, any> } | { ok: false; error: Record<string, any> }

/** The base64 SHA-256 of the certificate's SubjectPublicKeyInfo, as --ignore-certificate-errors-spki-list takes it. */
const spkiHash = (pem: string) =>
  createHash('sha256').update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64')

/** An https server on 127.0.0.1:`port` (0: any) answering GET requests from the table by path; closed on teardown. */
async function startHttpsApp(t: Test, tls: ServerOptions, routes: Record<string, { type: string; body: string | Buffer }>, port = 0) {
  const server = createServer(tls, (req, res) => {
    const found = req.method === 'GET' ? routes[new URL(req.url ?? '/', 'https://app.invalid').pathname] : undefined
    if (found === undefined) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n')
    res.writeHead(200, { 'Content-Type': found.type, 'Cache-Control': 'no-store' }).end(found.body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`
}

t.test('auth0-js over https: authorize, login, consent, parseHash, checkSession, logout', needsChromium, async (t) => {
  // Gatehouse over TLS with a development CA of its own, on a port chosen first (the issuer names it).
  const port = await freePort()
  const issuer = `https://localhost:${port}/`
  const keysDir = join(t.testdir(), 'keys')
  const appPort = await freePort()
  const appOrigin = `https://127.0.0.1:${appPort}`
  const appUrl = `${appOrigin}/`
  const tenant = testTenant()
  tenant.clients = tenant.clients.map((c) =>
    c.client_id === 'organizer' ? { ...c, callbacks: [appUrl], web_origins: [appOrigin], allowed_logout_urls: [appUrl] } : c,
  )
  const gatehouse = await buildServer(testConfig({ issuer, port, keysDir, tls: { kind: 'development-ca' }, tenant }), { logger: false, generateKey: madeKey })
  await gatehouse.listen({ host: '127.0.0.1', port })
  t.teardown(() => gatehouse.close())

  const paths = developmentTlsPaths(keysDir)
  const caPem = await readFile(paths.ca, 'utf8')
  const serverPem = await readFile(paths.server, 'utf8')
  t.ok(new X509Certificate(serverPem).verify(new X509Certificate(caPem).publicKey), 'the pinned certificate is the one ca.pem issued')
  const jwks = createLocalJWKSet(JSON.parse((await httpsGet(`${issuer}.well-known/jwks.json`, caPem)).body))

  // The app, on the port its client's callbacks name, under the same certificate (its names include 127.0.0.1).
  const options = {
    domain: `localhost:${port}`,
    clientID: 'organizer',
    redirectUri: appUrl,
    responseType: 'token id_token',
    scope: 'openid profile email',
  }
  const appRoutes = {
    '/': { type: 'text/html; charset=utf-8', body: INDEX },
    '/auth0.js': { type: 'text/javascript; charset=utf-8', body: AUTH0_JS },
    '/app.js': { type: 'text/javascript; charset=utf-8', body: `window.webAuth = new auth0.WebAuth(${JSON.stringify(options)})\n` },
  }
  await startHttpsApp(t, { cert: serverPem, key: await readFile(paths.serverKey, 'utf8') }, appRoutes, appPort)

  // A certificate from a CA nobody trusts, for the same names.
  const strangerCaKey = await generatePrivateKeyPem()
  const strangerCa = await createCaCertificate(strangerCaKey, new Date())
  const strangerKey = await generatePrivateKeyPem()
  const strangerCert = await issueServerCertificate({
    caPem: strangerCa,
    caKeyPem: strangerCaKey,
    serverKeyPem: strangerKey,
    names: serverNames(issuer),
    now: new Date(),
  })
  const stranger = await startHttpsApp(t, { cert: strangerCert, key: strangerKey }, { '/': { type: 'text/html', body: INDEX } })

  // This Chromium blocks third-party cookies by default (as Incognito windows and Safari do), and with them
  // any silent authentication from another site, whatever the cookie says. The profile allows them, as
  // Chrome's regular windows do, so that what is tested is Gatehouse's cookie and not the browser's policy.
  // Outside t.testdir(): tap removes that before later teardowns run, while Chromium may still write here.
  const profile = await mkdtemp(join(tmpdir(), 'gatehouse-chromium-profile-'))
  await mkdir(join(profile, 'Default'), { recursive: true })
  await writeFile(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0 } }))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_LAUNCHER,
    headless: true,
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${spkiHash(serverPem)}`],
  })
  t.teardown(async () => {
    await context.close()
    await rm(profile, { recursive: true, force: true, maxRetries: 5 })
  })
  const page = await context.newPage()

  // Console errors, page errors and failed requests of every frame, the hidden iframe included.
  const problems: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  page.on('requestfailed', (req) => {
    // auth0-js removes its hidden iframe as soon as the answer is posted, which may be before the page has loaded
    const iframeRemoved = req.frame() !== page.mainFrame() && req.failure()?.errorText === 'net::ERR_ABORTED'
    if (!iframeRemoved) problems.push(`failed: ${req.method()} ${req.url().split('?')[0]} ${req.failure()?.errorText}`)
  })
  page.on('response', (res) => {
    const url = new URL(res.url())
    if (res.status() >= 400 && url.pathname !== '/favicon.ico') problems.push(`${res.status()} ${res.request().method()} ${url.pathname}`)
  })
  t.teardown(() => {
    if (problems.length > 0) t.comment(`browser problems:\n  ${problems.join('\n  ')}`)
  })
  // Requests to Gatehouse's /authorize and /v2/logout, from any frame.
  const gatehouseRequests: { path: string; url: URL; mainFrame: boolean }[] = []
  page.on('request', (req) => {
    const url = new URL(req.url())
    if (url.origin !== new URL(issuer).origin) return
    gatehouseRequests.push({ path: url.pathname, url, mainFrame: req.frame() === page.mainFrame() })
  })
  const requestsTo = (path: string) => gatehouseRequests.filter((r) => r.path === path)

  const ready = (p: Page) => p.waitForFunction(() => window.webAuth !== undefined)
  /** Calls webAuth.parseHash or webAuth.checkSession in the page and resolves with what its callback got. */
  const call = (p: Page, method: 'parseHash' | 'checkSession') =>
    p.evaluate(
      (name) =>
        new Promise<Outcome>((resolve) =>
          window.webAuth[name]({}, (error, result) =>
            resolve(error ? { ok: false, error: error as Record<string, unknown> } : { ok: true, result: result as Record<string, unknown> }),
          ),
        ),
      method,
    )
  const parseHash = (p: Page) => call(p, 'parseHash')
  const checkSession = (p: Page) => call(p, 'checkSession')

  await t.test('certificate checking is on: a certificate from another CA is refused', async (t) => {
    const other = await context.newPage()
    const refused = await other.goto(`${stranger}/`).then(
      () => 'loaded',
      (error: Error) => error.message,
    )
    await other.close()
    t.match(refused, 'net::ERR_CERT_AUTHORITY_INVALID')
  })

  await page.goto(appUrl)
  await ready(page)

  let idTokenOfLogin: string | undefined
  await t.test('authorize → Gatehouse login page → consent page → back in the app; parseHash gives verified tokens', async (t) => {
    await Promise.all([
      page.waitForURL((url) => url.origin === new URL(issuer).origin && url.pathname.startsWith('/login/'), { timeout: 10_000 }),
      page.evaluate(() => window.webAuth.authorize()),
    ])
    const [authorize] = requestsTo('/authorize')
    t.equal(authorize?.url.searchParams.get('client_id'), 'organizer')
    t.equal(authorize?.url.searchParams.get('response_type'), 'token id_token')
    t.equal(authorize?.url.searchParams.get('redirect_uri'), appUrl)
    t.type(authorize?.url.searchParams.get('nonce'), 'string', 'auth0-js sends a nonce')

    await page.fill('input[name=username]', 'alice')
    await page.fill('input[name=password]', 'wonderland')
    await Promise.all([page.waitForURL(/\/consent\//, { timeout: 10_000 }), page.click('button[type=submit]')])
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(`${appUrl}#`), { timeout: 10_000 }),
      page.click('button[name=decision][value=allow]'),
    ])
    await ready(page)

    // parseHash checks state and nonce, fetches the JWKS (CORS, from the other site) and verifies the ID token.
    const parsed = await parseHash(page)
    if (!parsed.ok) return void t.fail(`parseHash: ${JSON.stringify(parsed.error)}`)
    const { result } = parsed
    t.equal(result.tokenType, 'Bearer')
    t.ok(Number(result.expiresIn) > 0, 'expiresIn')
    t.equal(result.state, authorize?.url.searchParams.get('state'))
    t.match(result.idTokenPayload, {
      iss: issuer,
      aud: 'organizer',
      sub: 'auth0|alice',
      name: 'Alice Liddell',
      email: 'alice@example.com',
      nonce: authorize?.url.searchParams.get('nonce'),
    })
    const id = await jwtVerify(result.idToken, jwks, { issuer, audience: 'organizer' })
    t.equal(id.payload.sub, 'auth0|alice')
    const at = await jwtVerify(result.accessToken, jwks, { issuer, audience: `${issuer}userinfo` })
    t.equal(at.payload.azp, 'organizer')
    idTokenOfLogin = result.idToken
  })

  await t.test('checkSession: silent authentication from the other site in a hidden iframe (web_message)', async (t) => {
    const session = (await context.cookies(issuer)).find((c) => c.name === 'gatehouse_session')
    t.match(session, { sameSite: 'None', secure: true, httpOnly: true }, 'the session cookie may be sent to the iframe from another site')
    const before = requestsTo('/authorize').length
    const silent = await checkSession(page)
    const iframe = requestsTo('/authorize').slice(before)
    t.equal(iframe.length, 1, 'one /authorize request')
    t.equal(iframe[0]?.mainFrame, false, 'from the iframe')
    t.equal(iframe[0]?.url.searchParams.get('response_mode'), 'web_message')
    t.equal(iframe[0]?.url.searchParams.get('prompt'), 'none')
    if (!silent.ok) return void t.fail(`checkSession: ${JSON.stringify(silent.error)}`)
    t.match(silent.result.idTokenPayload, { iss: issuer, aud: 'organizer', sub: 'auth0|alice' })
    t.not(silent.result.idToken, idTokenOfLogin, 'fresh tokens')
    const at = await jwtVerify(silent.result.accessToken, jwks, { issuer, audience: `${issuer}userinfo` })
    t.equal(at.payload.sub, 'auth0|alice')
  })

  await t.test('logout goes through /v2/logout back to the app; then checkSession says login_required', async (t) => {
    await Promise.all([
      page.waitForURL((url) => url.href === appUrl, { timeout: 10_000, waitUntil: 'load' }),
      page.evaluate((returnTo) => window.webAuth.logout({ returnTo, clientID: 'organizer' }), appUrl),
    ])
    const [logout] = requestsTo('/v2/logout')
    t.equal(logout?.url.searchParams.get('client_id'), 'organizer')
    t.equal(logout?.url.searchParams.get('returnTo'), appUrl)
    await ready(page)
    const after = await checkSession(page)
    t.strictSame(after.ok ? after.result : after.error.error, 'login_required')
  })

  t.strictSame(problems, [], 'no console errors, page errors or failed requests')
})
