// The test controls as an app's CI uses them, with a real SPA on @auth0/auth0-spa-js in Chromium: a scripted
// login_as skips the login page, a moved clock makes the SDK refresh its expired token, and a scripted
// login_required makes the app's silent authentication fail into its signed-out state.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { decodeJwt } from 'jose'
import type { Page } from 'playwright-core'
import t from 'tap'
import { needsChromium, newContext, sharedChromium } from '../helpers/browser.js'
import { clientAt, startAppServer, startGatehouse } from '../helpers/listen.js'
import { appointmentsApi, testTenant } from '../helpers/tenant.js'

const SPA_JS = readFileSync(createRequire(import.meta.url).resolve('@auth0/auth0-spa-js/dist/auth0-spa-js.production.js'))
const ACCESS_TOKEN_LIFETIME = 600

const INDEX = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SPA</title>
<script src="/auth0-spa-js.js"></script><script src="/app.js"></script></head>
<body><h1>SPA</h1><p id="status">Loading…</p></body></html>
`
// The app: on load it finishes a redirect login, or (inside createAuth0Client) tries silent authentication;
// then it shows who is signed in.
const appScript = (options: unknown) => `
window.spa = auth0.createAuth0Client(${JSON.stringify(options)})
window.ready = (async () => {
  const spa = await window.spa
  if (new URLSearchParams(location.search).has('code')) {
    await spa.handleRedirectCallback()
    history.replaceState(null, '', '/')
  }
  const user = await spa.getUser()
  if (document.readyState === 'loading') await new Promise((resolve) => addEventListener('DOMContentLoaded', resolve))
  document.getElementById('status').textContent = user ? 'Signed in as ' + user.sub : 'Signed out'
})()
`

interface SpaWindow {
  spa: Promise<{
    loginWithRedirect(options?: Record<string, unknown>): Promise<void>
    getTokenSilently(options: Record<string, unknown>): Promise<Record<string, unknown>>
  }>
  ready: Promise<void>
}
declare const window: SpaWindow

t.test('@auth0/auth0-spa-js against the test controls: login_as, a moved clock, login_required', needsChromium, async (t) => {
  const app = await startAppServer(t)
  const appUrl = `${app.origin}/`
  const tenant = testTenant()
  tenant.resource_servers = tenant.resource_servers.map((api) =>
    api.identifier === appointmentsApi.identifier ? { ...api, token_lifetime: ACCESS_TOKEN_LIFETIME } : api,
  )
  const { issuer } = await startGatehouse(t, {
    config: { testControls: true, tenant },
    clients: { organizer: { ...clientAt(app.origin), callbacks: [appUrl], is_first_party: true, refresh_token: { rotation_type: 'rotating' } } },
  })
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${issuer}_gatehouse/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    })
    return { status: res.status, body: res.status === 204 ? undefined : await res.json() }
  }

  const options = {
    domain: issuer.slice(0, -1),
    clientId: 'organizer',
    cacheLocation: 'memory',
    useRefreshTokens: true,
    // after a reload the memory cache has no refresh token: silent authentication in the hidden iframe
    useRefreshTokensFallback: true,
    authorizeTimeoutInSeconds: 10,
    httpTimeoutInSeconds: 10,
    authorizationParams: { redirect_uri: appUrl, audience: 'appointments:api', scope: 'openid profile email read:appointments' },
  }
  app.route({ path: '/', contentType: 'text/html; charset=utf-8', body: INDEX })
  app.route({ path: '/auth0-spa-js.js', contentType: 'text/javascript; charset=utf-8', body: SPA_JS })
  app.route({ path: '/app.js', contentType: 'text/javascript; charset=utf-8', body: appScript(options) })

  const page = await (await newContext(t, await sharedChromium())).newPage()
  // The page's clock is moved together with Gatehouse's, as an app's test would move its own.
  await page.clock.install()
  const seen: string[] = []
  page.on('response', (res) => {
    const url = new URL(res.url())
    if (url.origin === new URL(issuer).origin) seen.push(`${res.status()} ${res.request().method()} ${url.pathname}`)
  })
  const problems: string[] = []
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`))
  const status = (p: Page) => p.evaluate(async () => {
    await window.ready
    return document.getElementById('status')!.textContent
  })

  await page.goto(appUrl)
  t.equal(await status(page), 'Signed out')

  await t.test('login_as: signed in without ever seeing the login page', async (t) => {
    const queued = await control('POST', 'scenarios', { on: 'authorize', match: { client_id: 'organizer' }, respond: { login_as: 'auth0|alice' } })
    t.equal(queued.status, 201)
    seen.length = 0
    await Promise.all([
      page.waitForURL((url) => url.href.startsWith(appUrl) && url.searchParams.has('code'), { timeout: 10_000 }),
      page.evaluate(async () => void (await window.spa).loginWithRedirect()),
    ])
    t.equal(await status(page), 'Signed in as auth0|alice')
    const loginPages = seen.filter((line) => / \/login\//.test(line))
    t.strictSame(loginPages, [loginPages[0]], 'one visit to the login route')
    t.match(loginPages[0], /^303 GET \/login\//, 'answered with a redirect, never a page')
  })

  await t.test('the clock moves past the access token’s expiry: the SDK refreshes it', async (t) => {
    const token = () => page.evaluate(async () => (await window.spa).getTokenSilently({ detailedResponse: true }))
    const first = await token()
    const again = await token()
    t.equal(again.access_token, first.access_token, 'cached while it is valid')
    const firstClaims = decodeJwt(String(first.access_token))
    t.equal(firstClaims.exp! - firstClaims.iat!, ACCESS_TOKEN_LIFETIME)

    const moved = await control('POST', 'clock', { advance_seconds: ACCESS_TOKEN_LIFETIME + 60 })
    t.equal(moved.body.offset_seconds, ACCESS_TOKEN_LIFETIME + 60)
    await page.clock.fastForward((ACCESS_TOKEN_LIFETIME + 60) * 1000)
    seen.length = 0
    const refreshed = await token()
    t.not(refreshed.access_token, first.access_token, 'a new token')
    t.ok(seen.includes('200 POST /oauth/token'), 'from the token endpoint')
    const refreshedClaims = decodeJwt(String(refreshed.access_token))
    t.ok(refreshedClaims.iat! >= firstClaims.exp!, 'issued after the first one expired, by Gatehouse’s clock')
    const userinfo = async (accessToken: unknown) => (await fetch(`${issuer}userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status
    t.equal(await userinfo(first.access_token), 401, 'the old token is expired for Gatehouse too')
    t.equal(await userinfo(refreshed.access_token), 200)
    const { body } = await control('GET', 'events?type=token.issued&client_id=organizer')
    t.match(body.events[body.events.length - 1], { type: 'token.issued', summary: 'refresh_token: issued access_token, id_token, refresh_token' }, 'the refresh is in the event feed')
  })

  await t.test('login_required for the next silent authentication: the app shows its signed-out state', async (t) => {
    await page.reload()
    t.equal(await status(page), 'Signed in as auth0|alice', 'silent authentication works with the session')
    const queued = await control('POST', 'scenarios', { on: 'authorize', match: { client_id: 'organizer' }, respond: { error: 'login_required', error_description: 'Login required' } })
    t.equal(queued.status, 201)
    await page.reload()
    t.equal(await status(page), 'Signed out')
    const { body } = await control('GET', `events?client_id=organizer&type=authorize`)
    const last = body.events[body.events.length - 1]
    t.equal(last.type, 'authorize.error')
    t.equal(last.summary, 'login_required: Login required')
    t.strictSame((await control('GET', 'scenarios')).body, { scenarios: [] }, 'used up')
  })

  t.strictSame(problems, [], 'no page errors')
})
