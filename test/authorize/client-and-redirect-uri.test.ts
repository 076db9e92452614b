// Errors about the client or redirect_uri are shown as a page and never redirected (RFC 6749 §4.1.2.1).
import t, { type Test } from 'tap'
import { buildTestServer, errorPageOf, fragmentOf, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)

const base = { response_type: 'token', scope: 'openid', nonce: 'n-1', state: 'st-1' }

async function expectPage(t: Test, url: string, error: string, description: string) {
  const res = await app.inject({ url })
  t.equal(res.statusCode, 400)
  t.match(res.headers['content-type'], /^text\/html/)
  t.equal(res.headers.location, undefined, 'never a Location header')
  t.strictSame(errorPageOf(res.body), { error, description })
}

const q = (params: Record<string, string>) => `/authorize?${new URLSearchParams(params)}`

t.test('unknown client_id', async (t) => {
  await expectPage(t, q({ ...base, client_id: 'nope', redirect_uri: CALLBACK }), 'invalid_client', 'unknown client: nope')
})

t.test('missing or empty client_id', async (t) => {
  await expectPage(t, q({ ...base, redirect_uri: CALLBACK }), 'invalid_request', 'missing required parameter: client_id')
  await expectPage(t, q({ ...base, client_id: '', redirect_uri: CALLBACK }), 'invalid_request', 'missing required parameter: client_id')
})

t.test('repeated client_id', async (t) => {
  const url = `${q({ ...base, redirect_uri: CALLBACK })}&client_id=organizer&client_id=organizer`
  await expectPage(t, url, 'invalid_request', 'parameter client_id must not be repeated')
})

t.test('client_id longer than 2048 characters', async (t) => {
  const url = q({ ...base, client_id: 'x'.repeat(2049), redirect_uri: CALLBACK })
  await expectPage(t, url, 'invalid_request', 'parameter client_id is longer than 2048 characters')
})

t.test('redirect_uri that is not exactly a callback', async (t) => {
  const wrong = [
    'https://evil.example.com/callback',
    'https://app.example.com/callback/',
    'https://app.example.com/Callback',
    'https://APP.example.com/callback',
    'HTTPS://app.example.com/callback',
    'https://app.example.com/callback?extra=1',
    'https://app.example.com/callback#frag',
    'https://app.example.com/other',
    'https://app.example.com/other?keep=1&more=2',
    'https://app.example.com:443/callback',
    'http://app.example.com/callback',
  ]
  for (const redirectUri of wrong) {
    await t.test(redirectUri, (t) =>
      expectPage(
        t,
        q({ ...base, client_id: 'organizer', redirect_uri: redirectUri }),
        'invalid_request',
        `redirect_uri ${redirectUri} is not one of the callbacks of client organizer`,
      ),
    )
  }
})

t.test('a bad redirect_uri wins over errors that would otherwise be redirected', async (t) => {
  const url = q({ client_id: 'organizer', redirect_uri: 'https://evil.example.com/', scope: 'nope', state: 's' })
  await expectPage(t, url, 'invalid_request', 'redirect_uri https://evil.example.com/ is not one of the callbacks of client organizer')
})

t.test('redirect_uri omitted with two callbacks', async (t) => {
  await expectPage(
    t,
    q({ ...base, client_id: 'organizer' }),
    'invalid_request',
    'missing required parameter: redirect_uri (client organizer has 2 callbacks)',
  )
  await expectPage(
    t,
    q({ ...base, client_id: 'organizer', redirect_uri: '' }),
    'invalid_request',
    'missing required parameter: redirect_uri (client organizer has 2 callbacks)',
  )
})

t.test('repeated redirect_uri, even when both are registered', async (t) => {
  const url = `${q({ ...base, client_id: 'organizer' })}&redirect_uri=${encodeURIComponent(CALLBACK)}&redirect_uri=${encodeURIComponent(CALLBACK)}`
  await expectPage(t, url, 'invalid_request', 'parameter redirect_uri must not be repeated')
})

t.test('the legacy path shows the same page', async (t) => {
  const res = await app.inject({ url: `/i/oauth2/authorize?${new URLSearchParams({ ...base, client_id: 'nope' })}` })
  t.equal(res.statusCode, 400)
  t.equal(res.headers.location, undefined)
  t.strictSame(errorPageOf(res.body), { error: 'invalid_client', description: 'unknown client: nope' })
})

t.test('POST with a bad redirect_uri shows the page too', async (t) => {
  const res = await app.inject({
    method: 'POST',
    url: '/authorize',
    payload: new URLSearchParams({ ...base, client_id: 'organizer', redirect_uri: 'https://evil.example.com/' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  t.equal(res.statusCode, 400)
  t.equal(res.headers.location, undefined)
  t.equal(errorPageOf(res.body)?.error, 'invalid_request')
})

t.test('redirect_uri may be omitted when the client has exactly one callback', async (t) => {
  const start = await startAuthorize(app, { ...base, client_id: 'single' })
  t.equal(start.statusCode, 303)
  t.match(start.headers.location, /^\/login\/[\w-]+$/)

  const error = await startAuthorize(app, { ...base, client_id: 'single', scope: 'unknown' })
  t.equal(error.statusCode, 303)
  const location = String(error.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`), 'errors go to the only callback')
  t.strictSame(fragmentOf(location), { error: 'invalid_scope', error_description: 'unknown scope: unknown', state: 'st-1' })
})

t.test('a registered callback with a query keeps it', async (t) => {
  const res = await startAuthorize(app, {
    ...base,
    client_id: 'organizer',
    redirect_uri: 'https://app.example.com/other?keep=1',
    scope: 'unknown',
  })
  t.equal(res.statusCode, 303)
  t.equal(
    res.headers.location,
    'https://app.example.com/other?keep=1#error=invalid_scope&error_description=unknown+scope%3A+unknown&state=st-1',
  )
})
