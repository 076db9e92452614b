import { createHash, randomBytes } from 'node:crypto'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { collectPageErrors, needsChromium, newContext, sharedChromium } from '../helpers/browser.js'
import { clientAt, startAppServer, startGatehouse } from '../helpers/listen.js'

t.test('implicit flow through the real login and consent pages', needsChromium, async (t) => {
  const appServer = await startAppServer(t)
  const { issuer } = await startGatehouse(t, { clients: { organizer: clientAt(appServer.origin) } })
  const callback = `${appServer.origin}/callback`
  const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`))

  const browser = await sharedChromium()

  const authorizeUrl = (nonce: string, state: string) =>
    `${issuer}authorize?${new URLSearchParams({
      client_id: 'organizer',
      redirect_uri: callback,
      response_type: 'id_token token',
      scope: 'openid profile email read:appointments',
      audience: 'appointments:api',
      nonce,
      state,
    })}`
  const random = () => randomBytes(12).toString('base64url')
  const atHash = (token: string) => createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url')
  const waitForCallback = (page: Page) => page.waitForURL((url) => url.href.startsWith(callback), { timeout: 10_000 })

  const verifyFragment = async (t: Test, href: string, nonce: string, state: string) => {
    const fragment = Object.fromEntries(new URLSearchParams(new URL(href).hash.slice(1)))
    t.equal(fragment.state, state, 'state comes back')
    t.equal(fragment.token_type, 'Bearer')
    t.ok(Number(fragment.expires_in) > 0, 'expires_in is positive')
    t.type(fragment.id_token, 'string')
    t.type(fragment.access_token, 'string')

    const id = await jwtVerify(fragment.id_token!, jwks, { issuer, audience: 'organizer', algorithms: ['RS256'] })
    t.equal(id.payload.nonce, nonce, 'nonce matches')
    t.equal(id.payload.sub, 'auth0|alice')
    t.equal(id.payload.email, 'alice@example.com')
    t.equal(id.payload.name, 'Alice Liddell')
    t.equal(id.payload.at_hash, atHash(fragment.access_token!), 'at_hash binds the access token')
    t.equal(decodeProtectedHeader(fragment.id_token!).alg, 'RS256')

    const at = await jwtVerify(fragment.access_token!, jwks, { issuer, audience: 'appointments:api' })
    t.equal(at.payload.sub, 'auth0|alice')
    t.equal(at.payload.azp, 'organizer')
    t.strictSame(String(at.payload.scope).split(' ').sort(), ['email', 'openid', 'profile', 'read:appointments'])
    return fragment
  }

  const context = await newContext(t, browser)

  await t.test('login, consent, callback with verified tokens', async (t) => {
    const page = await context.newPage()
    const problems = collectPageErrors(page)
    // 404s are checked by URL here (browsers ask every origin for /favicon.ico)
    page.on('response', (res) => {
      const url = new URL(res.url())
      if (res.status() >= 400 && url.pathname !== '/favicon.ico') problems.push(`${res.status()} ${url.pathname}`)
    })
    const nonce = random()
    const state = random()
    await page.goto(authorizeUrl(nonce, state))
    await page.waitForURL(/\/login\//)
    const accent = await page.locator('button[type=submit]').evaluate((el) => getComputedStyle(el).backgroundColor)
    t.equal(accent, 'rgb(59, 91, 219)', 'the stylesheet loaded under the CSP')
    t.ok(await page.getByText('Organizer <b>&</b>').first().isVisible(), 'login page names the client, escaped')

    await page.fill('input[name=username]', 'alice')
    await page.fill('input[name=password]', 'wonderland')
    await Promise.all([page.waitForURL(/\/consent\//), page.click('button[type=submit]')])

    t.ok(await page.getByRole('heading', { name: 'Authorize Organizer <b>&</b>' }).isVisible(), 'consent names the client')
    t.ok(await page.getByText('Appointments API').first().isVisible(), 'consent names the API')
    for (const description of ['Read your appointments', 'read:appointments']) {
      t.ok(await page.getByText(description, { exact: true }).isVisible(), `consent shows ${description}`)
    }
    const descriptions = await page.locator('ul.scopes li').allInnerTexts()
    t.equal(descriptions.length, 4, 'one line per scope')
    const aboutYou = await page.getByRole('list', { name: 'About you' }).locator('code').allInnerTexts()
    t.strictSame(aboutYou, ['openid', 'profile', 'email'], 'what the app learns about the user, in a list of its own')
    const atApi = await page.getByRole('list', { name: 'At Appointments API' }).locator('code').allInnerTexts()
    t.strictSame(atApi, ['read:appointments'], 'what it may do at the API, apart')
    t.ok(descriptions.every((line) => line.trim().split(/\s+/).length > 1), 'every scope has a description')

    await Promise.all([waitForCallback(page), page.click('button[name=decision][value=allow]')])
    t.ok(await page.getByText('Signed in.').isVisible(), 'the app callback page rendered')
    await verifyFragment(t, page.url(), nonce, state)
    t.strictSame(problems, [], 'no console errors (CSP violations included)')
    await page.close()
  })

  await t.test('same browser: session and stored grant skip both pages', async (t) => {
    const page = await context.newPage()
    const nonce = random()
    const state = random()
    const visited: string[] = []
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) visited.push(new URL(frame.url()).pathname)
    })
    await page.goto(authorizeUrl(nonce, state))
    await waitForCallback(page)
    t.notOk(visited.some((p) => p.startsWith('/login/') || p.startsWith('/consent/')), 'no login or consent page shown')
    await verifyFragment(t, page.url(), nonce, state)
    await page.close()
  })

  await t.test('wrong password shows the error on the login page', async (t) => {
    const fresh = await newContext(t, browser)
    const page = await fresh.newPage()
    await page.goto(authorizeUrl(random(), random()))
    await page.waitForURL(/\/login\//)
    await page.fill('input[name=username]', 'alice')
    await page.fill('input[name=password]', 'not-the-password')
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('button[type=submit]')])
    t.equal(response.status(), 400)
    t.match(page.url(), /\/login\//, 'still on the login page')
    const alert = page.getByRole('alert')
    t.ok(await alert.isVisible(), 'error message is visible')
    t.equal(await alert.innerText(), 'Wrong username or password.', 'error message')
    t.equal(await page.inputValue('input[name=username]'), 'alice', 'username is kept')
    t.equal(await page.inputValue('input[name=password]'), '', 'password is not echoed back')
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('name'))
    t.equal(focused, 'password', 'the cursor waits in the password field')
    for (const name of ['username', 'password']) {
      const field = page.locator(`input[name=${name}]`)
      t.equal(await field.getAttribute('aria-invalid'), 'true', `${name} is marked invalid`)
      const described = await field.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent)
      t.equal(described, 'Wrong username or password.', `${name} is described by the message`)
    }
  })
})
