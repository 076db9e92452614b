// The playground, driven in a real browser: flows run against Gatehouse and end on the callback view with
// decoded claims, passed checks and the demo API's verdicts.
import type { BrowserContext, Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { collectPageErrors, needsChromium, newContext, sharedChromium } from '../helpers/browser.js'
import { startGatehouse } from '../helpers/listen.js'

t.test('playground flows', needsChromium, async (t) => {
  const { issuer } = await startGatehouse(t)
  const callback = `${issuer}playground/callback`
  const browser = await sharedChromium()
  const context: BrowserContext = await newContext(t, browser)

  /** Collects console errors, page errors (CSP violations included) and failed requests. */
  const watch = (page: Page) => {
    const problems = collectPageErrors(page)
    page.on('response', (res) => {
      const url = new URL(res.url())
      // the demo API's refusals are part of the lesson
      if (res.status() >= 400 && url.pathname !== '/favicon.ico' && !url.pathname.endsWith('/demo-api/appointments')) {
        problems.push(`${res.status()} ${url.pathname}`)
      }
    })
    return problems
  }

  /** Through login and consent (when asked) to the callback view. */
  const signInToCallback = async (page: Page) => {
    await page.waitForURL((url) => url.href.startsWith(callback) || /\/(login|consent)\//.test(url.pathname))
    if (/\/login\//.test(page.url())) {
      await page.fill('input[name=username]', 'alice')
      await page.fill('input[name=password]', 'wonderland')
      await Promise.all([page.waitForURL((url) => !/\/login\//.test(url.pathname)), page.click('button[type=submit]')])
    }
    if (/\/consent\//.test(page.url())) {
      await Promise.all([page.waitForURL((url) => url.href.startsWith(callback)), page.click('button[name=decision][value=allow]')])
    }
    await page.waitForSelector('[data-check="state"]')
  }
  const runToCallback = async (page: Page) => {
    await page.click('#run')
    await signInToCallback(page)
  }

  const passed = async (t: Test, page: Page, names: string[]) => {
    for (const name of names) {
      const line = page.locator(`[data-check="${name}"]`).first()
      t.equal(await line.getAttribute('data-ok'), 'true', `${name}: ${await line.innerText()}`)
    }
  }
  const claim = (page: Page, token: string, name: string) =>
    page.locator(`article[data-token="${token}"] tr[data-claim="${name}"] td.value code`).first().innerText()

  const callApi = async (page: Page, variant: string) => {
    await page.click(`[data-api-call="${variant}"]`)
    const result = page.locator(`.api-result[data-variant="${variant}"]`).first()
    await result.waitFor()
    return result
  }

  await t.test('the timeline: Gatehouse’s decisions for this flow, as a sequence diagram', async (t) => {
    // first, so that alice has not granted these scopes to the playground yet: the consent page is part of it
    const fresh = await newContext(t, browser)
    const page = await fresh.newPage()
    const problems = watch(page)
    await page.goto(`${issuer}playground?flow=code-pkce`)
    await runToCallback(page)
    await page.waitForSelector('#timeline [data-kind="token.issued"]')
    const rows = page.locator('#timeline .seq-row:not(.seq-head)')
    const kinds = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')))
    t.strictSame(kinds, ['start', 'authorize.interaction', 'login.succeeded', 'authorize.interaction', 'consent.allowed', 'authorize.issued', 'token.issued'])
    const text = await rows.allInnerTexts()
    t.match(text[1], /Gatehouse → Browser: shows a page\. login required: no session/)
    t.match(text[2], /Browser → Gatehouse: login form\. auth0\|alice signed in/)
    t.match(text[3], /consent required: /)
    t.match(text[4], /auth0\|alice chose Allow on the consent page\ngranted: openid profile email offline_access read:appointments at appointments:api/)
    t.match(text[5], /Gatehouse → App \(playground\): answers the app\. issued code to gatehouse-playground for auth0\|alice \(openid profile email offline_access read:appointments\) by query/)
    t.match(text[6], /authorization_code: issued access_token, id_token, refresh_token/)
    t.equal(await page.locator('#timeline .seq-head .seq-lane').count(), 4, 'browser, app, Gatehouse, API')

    await callApi(page, 'token')
    await callApi(page, 'tampered')
    await page.waitForSelector('#timeline [data-kind="api.refused"]')
    t.match(await page.locator('#timeline [data-kind="api.allowed"]').innerText(), /API → App \(playground\): demo API\. the demo API answered 200 to auth0\|alice/)
    t.equal(await page.locator('#timeline [data-kind="api.refused"]').getAttribute('class'), 'seq-row failed')
    t.strictSame(problems, [], 'no console errors, CSP violations or failed requests')
  })

  await t.test('implicit id_token token: checks pass, claims decoded, the demo API accepts and refuses', async (t) => {
    const page = await context.newPage()
    const problems = watch(page)
    await page.goto(`${issuer}playground?flow=implicit-id-token-token`)
    t.equal(await page.locator('input[name=flow][value="implicit-id-token-token"]').isChecked(), true)
    t.equal(await page.locator('select[name=audience]').inputValue(), 'appointments:api')
    const url = await page.locator('pre.request-url').innerText()
    const sent = new URL(url).searchParams
    t.equal(sent.get('response_type'), 'id_token token')
    t.equal(sent.get('client_id'), 'gatehouse-playground')
    t.equal(sent.get('redirect_uri'), callback)
    t.equal(sent.get('scope'), 'openid profile email read:appointments')
    t.ok(await page.locator('tr[data-param="state"]').innerText().then((text) => text.includes('cross-site request forgery')), 'state is explained')

    await runToCallback(page)
    await page.waitForSelector('[data-check="access_token:signature"]')
    await passed(t, page, ['state', 'id_token:signature', 'id_token:iss', 'id_token:aud', 'id_token:exp', 'nonce', 'at_hash', 'access_token:signature'])
    t.match(await page.locator('[data-check="id_token:signature"]').innerText(), /signature verified: RS256 with the JWKS key kid [\w-]{43}/)
    t.equal(await claim(page, 'id_token', 'sub'), 'auth0|alice')
    t.equal(await claim(page, 'id_token', 'email'), 'alice@example.com')
    t.equal(await claim(page, 'id_token', 'aud'), 'gatehouse-playground')
    t.equal(await claim(page, 'access_token', 'aud'), `["appointments:api","${issuer}userinfo"]`)
    t.equal(await claim(page, 'access_token', 'azp'), 'gatehouse-playground')
    t.match(await page.locator('article[data-token="access_token"] [data-exp]').innerText(), /expires in \d/)
    t.equal(page.url(), callback, 'the tokens were taken out of the address bar')

    t.equal(await (await callApi(page, 'token')).getAttribute('data-status'), '200', 'the demo API accepts the token')
    const expired = await callApi(page, 'expired')
    t.equal(await expired.getAttribute('data-status'), '401')
    t.match(await expired.innerText(), /error="invalid_token", error_description="the access token expired at /)
    const audience = await callApi(page, 'wrong-audience')
    t.equal(await audience.getAttribute('data-status'), '401')
    t.match(await audience.innerText(), /aud must include appointments:api/)
    const tampered = await callApi(page, 'tampered')
    t.equal(await tampered.getAttribute('data-status'), '401')
    t.match(await tampered.innerText(), /the signature does not match/)
    t.strictSame(problems, [], 'no console errors, CSP violations or failed requests')
    await page.close()
  })

  await t.test('authorization code + PKCE: the code is exchanged by the backend, secrets masked', async (t) => {
    const page = await context.newPage()
    const problems = watch(page)
    await page.goto(`${issuer}playground?flow=code-pkce`)
    const sent = new URL(await page.locator('pre.request-url').innerText()).searchParams
    t.equal(sent.get('response_type'), 'code')
    t.equal(sent.get('code_challenge_method'), 'S256')
    t.match(sent.get('code_challenge'), /^[\w-]{43}$/)
    t.equal(sent.get('code_verifier'), null, 'the verifier is not in the URL')
    t.equal(sent.get('scope'), 'openid profile email offline_access read:appointments')

    await runToCallback(page)
    await page.waitForSelector('#exchange')
    t.equal(await page.locator('#exchange').getAttribute('data-status'), '200')
    await passed(t, page, ['state', 'id_token:signature', 'id_token:iss', 'id_token:aud', 'nonce', 'access_token:signature'])
    const request = await page.locator('[data-http="request"]').innerText()
    t.match(request, /^POST \/oauth\/token HTTP\/1\.1\n/)
    t.match(request, 'Authorization: Basic [masked]')
    t.match(request, 'code_verifier=[masked]')
    t.match(request, 'grant_type=authorization_code&code=')
    const response = await page.locator('[data-http="response"]').innerText()
    t.match(response, /^HTTP\/1\.1 200\ncontent-type: application\/json; charset=utf-8\ncache-control: no-store\npragma: no-cache/)
    t.equal(await claim(page, 'id_token', 'sub'), 'auth0|alice')
    t.ok(await page.locator('article[data-token="refresh_token"]').isVisible(), 'a refresh token (offline_access)')
    t.equal(await (await callApi(page, 'token')).getAttribute('data-status'), '200', 'the demo API accepts the token')
    t.strictSame(problems, [], 'no console errors, CSP violations or failed requests')
    await page.close()
  })

  await t.test('refresh, silent authentication, client credentials: run in the playground page itself', async (t) => {
    const page = await context.newPage()
    const problems = watch(page)
    // a refresh token is kept per tab (sessionStorage): get one here first; session and grant skip both pages
    await page.goto(`${issuer}playground?flow=code-pkce`)
    await runToCallback(page)
    await page.waitForSelector('article[data-token="refresh_token"]')
    for (const flow of ['refresh', 'client-credentials']) {
      await page.goto(`${issuer}playground?flow=${flow}`)
      await page.click('#run')
      await page.waitForSelector('#result #exchange')
      t.equal(await page.locator('#exchange').getAttribute('data-status'), '200', `${flow}: 200`)
      t.equal(await (await callApi(page, 'token')).getAttribute('data-status'), '200', `${flow}: the demo API accepts the token`)
    }
    for (const flow of ['silent-web-message', 'silent-fragment']) {
      await page.goto(`${issuer}playground?flow=${flow}`)
      await page.click('#run')
      await page.waitForSelector('#result [data-check="state"]')
      await page.waitForSelector('#result [data-check="access_token:signature"]')
      await passed(t, page, ['state', 'access_token:signature'])
    }
    await page.goto(`${issuer}playground?flow=password`)
    await page.fill('input[name=username]', 'alice')
    await page.fill('input[name=password]', 'wonderland')
    t.match(await page.locator('tr[data-param="password"]').innerText(), '[masked]', 'the password is not shown')
    await page.click('#run')
    await page.waitForSelector('#result #exchange')
    t.equal(await page.locator('#exchange').getAttribute('data-status'), '200', 'password: 200')
    await passed(t, page, ['id_token:signature', 'id_token:iss', 'id_token:aud', 'access_token:signature'])
    t.equal(await page.locator('[data-check="nonce"]').getAttribute('data-ok'), 'skipped', 'no nonce at the token endpoint')
    t.equal(await page.locator('[data-check="state"]').count(), 0, 'no state at the token endpoint')
    t.match(await page.locator('[data-http="request"]').innerText(), 'password=[masked]')
    t.strictSame(problems, [], 'no console errors, CSP violations or failed requests')
    await page.close()
  })

  await t.test('every response type and mode ends on the callback view with its checks passed', async (t) => {
    const page = await context.newPage()
    const problems = watch(page)
    const cases: [flow: string, responseType: string | undefined, mode: string, checks: string[]][] = [
      ['implicit-token', undefined, 'fragment', ['state', 'access_token:signature']],
      ['implicit-id-token', undefined, 'form_post', ['state', 'id_token:signature', 'nonce']],
      ['hybrid', 'code id_token', 'fragment', ['state', 'id_token:signature', 'nonce', 'c_hash']],
      ['hybrid', 'code id_token token', 'form_post', ['state', 'id_token:signature', 'nonce', 'c_hash', 'at_hash']],
      ['code-pkce', undefined, 'form_post', ['state', 'id_token:signature', 'nonce']],
    ]
    for (const [flow, responseType, mode, checks] of cases) {
      await page.goto(`${issuer}playground?flow=${flow}`)
      if (responseType !== undefined) await page.selectOption('select[name=response_type]', responseType)
      await page.selectOption('select[name=response_mode]', mode)
      await runToCallback(page)
      await page.waitForSelector(`[data-check="${checks.at(-1)}"]`)
      t.match(await page.locator('#response').innerText(), mode === 'form_post' ? 'in the body of a POST' : 'in the URL fragment', `${flow} ${responseType ?? ''}: read from ${mode}`)
      await passed(t, page, checks)
      if ((responseType ?? flow).includes('code')) {
        await page.waitForSelector('#exchange')
        t.equal(await page.locator('#exchange').getAttribute('data-status'), '200', `${flow}: the code was exchanged`)
      }
    }
    t.strictSame(problems, [], 'no console errors, CSP violations or failed requests')
    await page.close()
  })

  await t.test('logout, then silent authentication teaches login_required', async (t) => {
    const page = await context.newPage()
    const problems = watch(page)
    await page.goto(`${issuer}playground?flow=implicit-id-token`)
    await runToCallback(page)
    await page.goto(`${issuer}playground?flow=logout`)
    t.equal(new URL(await page.locator('pre.request-url').innerText()).searchParams.get('post_logout_redirect_uri'), callback)
    t.ok(await page.locator('tr[data-param="id_token_hint"]').isVisible(), 'the ID token from before is the hint')
    await page.click('#run')
    await page.waitForSelector('#logged-out')
    await passed(t, page, ['state'])

    await page.goto(`${issuer}playground?flow=silent-web-message`)
    await page.click('#run')
    const error = page.locator('#result [data-error="login_required"]')
    await error.waitFor()
    t.match(await error.innerText(), /prompt=none, but nobody is signed in/)
    t.match(await error.innerText(), /Likely fix: Run an interactive flow first/)
    t.strictSame(problems, [], 'no console errors, CSP violations or failed requests')
    await page.close()
  })

  await t.test('errors teach: each error case runs for real and is explained', async (t) => {
    const fresh = await newContext(t, browser)
    const page = await fresh.newPage()
    const problems = watch(page)
    const teach = async (error: string, meaning: RegExp, fix: RegExp, description: RegExp) => {
      const box = page.locator(`[data-error="${error}"]`)
      await box.waitFor()
      const text = await box.innerText()
      t.match(text, description, `${error}: the server's description`)
      t.match(text, meaning, `${error}: what it means`)
      t.match(text, fix, `${error}: the likely fix`)
      t.equal(await page.locator('[data-check="state"]').getAttribute('data-ok'), 'true', `${error}: the state still matches`)
    }
    const tryCase = async (error: string) => {
      await page.goto(`${issuer}playground`)
      await page.click(`[data-error-case="${error}"]`)
    }

    await t.test('a redirect_uri that is not registered: explained beforehand, then Gatehouse’s own page', async (t) => {
      await page.goto(`${issuer}playground`)
      const item = page.locator('li', { has: page.locator('[data-error-case="redirect_uri"]') })
      t.match(await item.innerText(), /cannot come back to the app/)
      t.equal(await item.locator('a.spec').getAttribute('href'), 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1')
      await Promise.all([page.waitForURL(/\/authorize\?/), page.click('[data-error-case="redirect_uri"]')])
      t.match(await page.locator('p.error').innerText(), /invalid_request/)
      t.match(await page.locator('main').innerText(), `${callback}-that-is-not-registered`)
      t.match(await page.locator('.fix-list').innerText(), callback, 'the page lists the callbacks this client has')
    })

    await t.test('invalid_scope: an API scope without its audience', async () => {
      await tryCase('invalid_scope')
      await teach('invalid_scope', /scope is unknown, or belongs to another API/, /Likely fix: Pick scopes of the selected API/, /scope read:appointments belongs to API appointments:api: add audience=appointments:api/)
      await page.waitForSelector('#timeline [data-kind="authorize.error"]')
    })

    await t.test('login_required: prompt=none with nobody signed in', async () => {
      await tryCase('login_required')
      await teach('login_required', /prompt=none, but nobody is signed in/, /Likely fix: Run an interactive flow first/, /prompt=none does not allow the login page/)
    })

    await t.test('access_denied: Deny on the consent page, and the timeline shows it', async (t) => {
      await tryCase('access_denied')
      await page.waitForURL(/\/login\//)
      await page.fill('input[name=username]', 'alice')
      await page.fill('input[name=password]', 'wonderland')
      await Promise.all([page.waitForURL(/\/consent\//), page.click('button[type=submit]')])
      await Promise.all([page.waitForURL((url) => url.href.startsWith(callback)), page.click('button[name=decision][value=deny]')])
      await teach('access_denied', /The user \(or the server\) said no/, /Likely fix: Press Allow on the consent page/, /access_denied/)
      await page.waitForSelector('#timeline [data-kind="authorize.error"]')
      const kinds = await page.locator('#timeline .seq-row:not(.seq-head)').evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')))
      t.strictSame(kinds, ['start', 'authorize.interaction', 'login.succeeded', 'authorize.interaction', 'consent.denied', 'authorize.error'])
    })

    await t.test('consent_required: prompt=none for scopes not yet allowed', async () => {
      await tryCase('consent_required')
      await teach('consent_required', /has not granted these scopes to this client yet/, /Likely fix: Run an interactive flow with the same scopes and press Allow/, /consent_required|not yet granted/)
    })
    // Gatehouse's error page answers 400 on purpose
    t.strictSame(problems.filter((p) => p !== '400 /authorize'), [], 'no console errors, CSP violations or other failed requests')
  })

  await t.test('an answer this tab did not ask for is refused, unread', async (t) => {
    const page = await context.newPage()
    const problems = watch(page)
    await page.goto(`${callback}#access_token=forged.token.value&state=not-mine`)
    await page.waitForSelector('[data-check="stop"]')
    t.equal(await page.locator('[data-check="state"]').getAttribute('data-ok'), 'false')
    t.match(await page.locator('[data-check="state"]').innerText(), 'matches no request this tab started')
    t.equal(await page.locator('#tokens').count(), 0, 'nothing decoded or verified')
    t.strictSame(problems, [], 'no console errors, CSP violations or failed requests')
    await page.close()
  })

  await t.test('the start banner’s link: the playground runs the implicit flow at once and ends on the callback view', async (t) => {
    const fresh = await newContext(t, browser)
    const page = await fresh.newPage()
    const problems = watch(page)
    await page.goto(`${issuer}playground?flow=implicit-id-token-token&run=1`)
    await page.waitForURL(/\/login\//)
    await signInToCallback(page)
    await page.waitForSelector('[data-check="access_token:signature"]')
    await passed(t, page, ['state', 'id_token:signature', 'nonce', 'at_hash', 'access_token:signature'])
    t.equal(await claim(page, 'id_token', 'name'), 'Alice Liddell')
    t.strictSame(problems, [], 'no console errors, CSP violations or failed requests')
  })
})
