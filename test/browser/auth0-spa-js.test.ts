import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { Page } from 'playwright-core'
import t from 'tap'
import { needsChromium, newContext, sharedChromium } from '../helpers/browser.js'
import { clientAt, startAppServer, startGatehouse } from '../helpers/listen.js'

const SPA_JS = readFileSync(createRequire(import.meta.url).resolve('@auth0/auth0-spa-js/dist/auth0-spa-js.production.js'))

// The app: spa-js from the package, plus a script that builds the client and exposes it as window.spa.
const INDEX = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SPA</title>
<script src="/auth0-spa-js.js"></script><script src="/app.js"></script></head>
<body><h1>SPA</h1></body></html>
`
const appScript = (options: unknown) => `
window.spa = auth0.createAuth0Client(${JSON.stringify(options)})
`

interface SpaWindow {
  spa: Promise<{
    handleRedirectCallback(): Promise<{ appState?: unknown }>
    getUser(): Promise<Record<string, unknown> | undefined>
    isAuthenticated(): Promise<boolean>
    getTokenSilently(options: Record<string, unknown>): Promise<string | Record<string, unknown>>
    loginWithRedirect(options?: Record<string, unknown>): Promise<void>
    logout(options?: Record<string, unknown>): Promise<void>
  }>
}
declare const window: SpaWindow

t.test('@auth0/auth0-spa-js: redirect login, silent auth by web_message, logout', needsChromium, async (t) => {
  const app = await startAppServer(t)
  const appUrl = `${app.origin}/`
  const { issuer } = await startGatehouse(t, {
    clients: { organizer: { ...clientAt(app.origin), callbacks: [appUrl] } },
  })
  const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`))

  // spa-js prefixes https:// unless the domain starts with http(s)://, and without an `issuer` option
  // expects iss to be `${domain}/`. An http `issuer` option would become "https://http://…/", so it is left out.
  const options = {
    domain: issuer.slice(0, -1),
    clientId: 'organizer',
    cacheLocation: 'memory',
    authorizeTimeoutInSeconds: 10,
    httpTimeoutInSeconds: 10,
    authorizationParams: {
      redirect_uri: appUrl,
      audience: 'appointments:api',
      scope: 'openid profile email read:appointments',
    },
  }
  app.route({ path: '/', contentType: 'text/html; charset=utf-8', body: INDEX })
  app.route({ path: '/auth0-spa-js.js', contentType: 'text/javascript; charset=utf-8', body: SPA_JS })
  app.route({ path: '/app.js', contentType: 'text/javascript; charset=utf-8', body: appScript(options) })

  const context = await newContext(t, await sharedChromium())
  const page = await context.newPage()

  // Console errors, page errors and failed requests of every frame, the hidden iframe included.
  const problems: string[] = []
  // Failed loads are reported with their URL by the handlers below (favicon 404s are expected).
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  page.on('requestfailed', (req) => problems.push(`failed: ${req.method()} ${req.url().split('?')[0]} ${req.failure()?.errorText}`))
  page.on('response', (res) => {
    const url = new URL(res.url())
    if (res.status() >= 400 && url.pathname !== '/favicon.ico') problems.push(`${res.status()} ${res.request().method()} ${url.pathname}`)
  })
  t.teardown(() => {
    if (problems.length > 0) t.comment(`browser problems:\n  ${problems.join('\n  ')}`)
  })
  const ready = (p: Page) => p.waitForFunction(() => window.spa !== undefined)

  const silentToken = (p: Page, detailed = false) =>
    p.evaluate(async (detailedResponse) => {
      const spa = await window.spa
      try {
        return { ok: true as const, value: await spa.getTokenSilently({ cacheMode: 'off', detailedResponse }) }
      } catch (e) {
        const err = e as { error?: string; error_description?: string; message?: string }
        return { ok: false as const, error: err.error, description: err.error_description ?? err.message }
      }
    }, detailed)

  await page.goto(appUrl)
  await ready(page)

  await t.test('loginWithRedirect through the login and consent pages', async (t) => {
    await Promise.all([
      page.waitForURL((url) => url.pathname.startsWith('/login/'), { timeout: 10_000 }),
      page.evaluate(async () => void (await window.spa).loginWithRedirect()),
    ])
    const authorize = new URL(page.url())
    t.equal(authorize.origin, new URL(issuer).origin, 'on the Gatehouse login page')
    await page.fill('input[name=username]', 'alice')
    await page.fill('input[name=password]', 'wonderland')
    await Promise.all([page.waitForURL(/\/consent\//, { timeout: 10_000 }), page.click('button[type=submit]')])
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(appUrl) && url.searchParams.has('code'), { timeout: 10_000 }),
      page.click('button[name=decision][value=allow]'),
    ])
    await ready(page)
    const result = await page.evaluate(async () => {
      const spa = await window.spa
      try {
        await spa.handleRedirectCallback()
        return { ok: true, user: await spa.getUser(), authenticated: await spa.isAuthenticated() }
      } catch (e) {
        return { ok: false, error: String((e as Error).message ?? e) }
      }
    })
    t.ok(result.ok, `handleRedirectCallback resolved ${result.ok ? '' : result.error}`)
    t.equal(result.authenticated, true)
    t.equal(result.user?.sub, 'auth0|alice')
    t.equal(result.user?.name, 'Alice Liddell')
    t.equal(result.user?.email, 'alice@example.com')
  })

  await t.test('getTokenSilently through the hidden iframe (web_message, prompt=none)', async (t) => {
    const iframeUrls: string[] = []
    const onRequest = (req: import('playwright-core').Request) => {
      if (req.frame() !== page.mainFrame() && new URL(req.url()).pathname === '/authorize') iframeUrls.push(req.url())
    }
    page.on('request', onRequest)
    const first = await silentToken(page)
    page.off('request', onRequest)
    t.ok(first.ok, `first silent token ${first.ok ? '' : `${first.error}: ${first.description}`}`)
    const authorize = new URL(iframeUrls[0] ?? 'http://none/')
    t.equal(authorize.searchParams.get('response_mode'), 'web_message', 'iframe asked for web_message')
    t.equal(authorize.searchParams.get('prompt'), 'none', 'iframe asked for prompt=none')
    if (first.ok) {
      const at = await jwtVerify(first.value as string, jwks, { issuer, audience: 'appointments:api' })
      t.equal(at.payload.sub, 'auth0|alice')
      t.equal(at.payload.azp, 'organizer')
      t.ok(String(at.payload.scope).split(' ').includes('read:appointments'), 'scope includes read:appointments')
    }

    const second = await silentToken(page, true)
    t.ok(second.ok, `detailed silent token ${second.ok ? '' : `${second.error}: ${second.description}`}`)
    if (second.ok) {
      const detailed = second.value as Record<string, unknown>
      t.type(detailed.access_token, 'string')
      t.type(detailed.id_token, 'string')
      t.ok(Number(detailed.expires_in) > 0)
      t.not(detailed.access_token, first.ok ? first.value : undefined, 'a fresh token, not the cached one')
      const at = await jwtVerify(detailed.access_token as string, jwks, { issuer, audience: 'appointments:api' })
      t.equal(at.payload.sub, 'auth0|alice')
    }
  })

  await t.test('logout via /v2/logout, then silent auth says login_required', async (t) => {
    const logoutRequests: string[] = []
    page.on('request', (req) => {
      if (new URL(req.url()).pathname === '/v2/logout') logoutRequests.push(req.url())
    })
    await Promise.all([
      page.waitForURL((url) => url.href === appUrl, { timeout: 10_000, waitUntil: 'load' }),
      page.evaluate(async (returnTo) => void (await window.spa).logout({ logoutParams: { returnTo } }), appUrl),
    ])
    t.equal(logoutRequests.length, 1, 'went through Gatehouse /v2/logout')
    const logout = new URL(logoutRequests[0] ?? 'http://none/')
    t.equal(logout.searchParams.get('client_id'), 'organizer')
    t.equal(logout.searchParams.get('returnTo'), appUrl)
    await ready(page)
    t.equal(await page.evaluate(async () => (await window.spa).isAuthenticated()), false)
    const after = await silentToken(page)
    t.notOk(after.ok, 'no token after logout')
    if (!after.ok) t.equal(after.error, 'login_required', String(after.description))
  })

  t.strictSame(problems, [], 'no console errors, page errors or failed requests')
})
