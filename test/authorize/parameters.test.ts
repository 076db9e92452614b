// One value per parameter, bounded lengths, unknown parameters ignored, empty = omitted; GET, POST and the legacy path agree.
import t from 'tap'
import {
  authorizeUrl,
  buildTestServer,
  fragmentOf,
  postForm,
  signIn,
  startAuthorize,
} from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)

const base = {
  client_id: 'organizer',
  redirect_uri: CALLBACK,
  response_type: 'token',
  scope: 'openid',
  state: 'st-1',
}

/** Location of a 303, asserting it is one. */
function locationOf(t: import('tap').Test, res: { statusCode: number; headers: Record<string, unknown> }): string {
  t.equal(res.statusCode, 303)
  return String(res.headers.location)
}

t.test('a repeated scope is invalid_request in the fragment, with state', async (t) => {
  const res = await app.inject({ url: `${authorizeUrl(base)}&scope=profile` })
  const location = locationOf(t, res)
  t.ok(location.startsWith(`${CALLBACK}#`))
  t.strictSame(fragmentOf(location), {
    error: 'invalid_request',
    error_description: 'parameter scope must not be repeated',
    state: 'st-1',
  })
})

t.test('a repeated parameter is refused even with equal values', async (t) => {
  const res = await app.inject({ url: `${authorizeUrl(base)}&nonce=a&nonce=a` })
  t.strictSame(fragmentOf(locationOf(t, res)), {
    error: 'invalid_request',
    error_description: 'parameter nonce must not be repeated',
    state: 'st-1',
  })
})

t.test('a value longer than 2048 characters is invalid_request', async (t) => {
  const res = await startAuthorize(app, { ...base, nonce: 'n'.repeat(2049) })
  t.strictSame(fragmentOf(locationOf(t, res)), {
    error: 'invalid_request',
    error_description: 'parameter nonce is longer than 2048 characters',
    state: 'st-1',
  })
})

t.test('2048 characters are accepted and state comes back unchanged', async (t) => {
  const state = 's'.repeat(2048)
  const res = await startAuthorize(app, { ...base, state, scope: 'unknown' })
  t.strictSame(fragmentOf(locationOf(t, res)), {
    error: 'invalid_scope',
    error_description: 'unknown scope: unknown',
    state,
  })
})

t.test('a state that is too long is not echoed', async (t) => {
  const res = await startAuthorize(app, { ...base, state: 's'.repeat(2049) })
  t.strictSame(fragmentOf(locationOf(t, res)), {
    error: 'invalid_request',
    error_description: 'parameter state is longer than 2048 characters',
  })
})

const tolerated: [string, Record<string, string>][] = [
  [
    'unknown parameters are ignored',
    { auth0Client: 'eyJuYW1lIjoiYXV0aDAtc3BhLWpzIiwidmVyc2lvbiI6IjIuMC4wIn0=', foo: 'bar', client_secret: 'ignored' },
  ],
  [
    // id_token_hint is checked: see id-token-hint.test.ts
    'display, ui_locales and acr_values are accepted',
    { display: 'page', ui_locales: 'fr-CA en', acr_values: 'urn:mace:incommon:iap:silver' },
  ],
]

for (const [name, extra] of tolerated) {
  t.test(name, async (t) => {
    const res = await startAuthorize(app, { ...base, ...extra })
    t.match(locationOf(t, res), /^\/login\/[\w-]+$/)
  })
}

t.test('an empty value is the same as an omitted one', async (t) => {
  const { res } = await signIn(app, { ...base, audience: '', prompt: '', max_age: '', response_mode: '', nonce: '' })
  const fragment = fragmentOf(locationOf(t, res))
  t.strictSame(Object.keys(fragment).sort(), ['access_token', 'expires_in', 'scope', 'state', 'token_type'])
  t.equal(fragment.scope, 'openid')

  const noState = await startAuthorize(app, { ...base, state: '', scope: 'unknown' })
  t.strictSame(fragmentOf(locationOf(t, noState)), { error: 'invalid_scope', error_description: 'unknown scope: unknown' })
})

t.test('POST /authorize with a form body works like GET', async (t) => {
  const get = await startAuthorize(app, { ...base, scope: 'unknown' })
  const post = await postForm(app, '/authorize', { ...base, scope: 'unknown' })
  t.equal(post.statusCode, 303)
  t.equal(post.headers.location, get.headers.location)

  const start = await postForm(app, '/authorize', base)
  t.match(locationOf(t, start), /^\/login\/[\w-]+$/)

  const repeated = await app.inject({
    method: 'POST',
    url: '/authorize',
    payload: `${new URLSearchParams(base)}&scope=email`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  })
  t.strictSame(fragmentOf(locationOf(t, repeated)), {
    error: 'invalid_request',
    error_description: 'parameter scope must not be repeated',
    state: 'st-1',
  })
})

t.test('POST /authorize with a session completes like GET', async (t) => {
  const { cookie } = await signIn(app, base)
  const res = await postForm(app, '/authorize', { ...base, state: 'via-post' }, cookie)
  const fragment = fragmentOf(locationOf(t, res))
  t.equal(fragment.state, 'via-post')
  t.equal(fragment.token_type, 'Bearer')
  t.type(fragment.access_token, 'string')
})

t.test('/i/oauth2/authorize works like /authorize', async (t) => {
  const params = new URLSearchParams({ ...base, scope: 'unknown' })
  const legacy = await app.inject({ url: `/i/oauth2/authorize?${params}` })
  const current = await app.inject({ url: `/authorize?${params}` })
  t.equal(legacy.statusCode, 303)
  t.equal(legacy.headers.location, current.headers.location)

  const start = await app.inject({ url: `/i/oauth2/authorize?${new URLSearchParams(base)}` })
  t.match(locationOf(t, start), /^\/login\/[\w-]+$/)

  const post = await postForm(app, '/i/oauth2/authorize', { ...base, scope: 'unknown' })
  t.equal(post.headers.location, current.headers.location)
})
