// response_mode=form_post: a page that POSTs the response (and errors) to the redirect_uri.
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { decodeJwt } from 'jose'
import { buildTestServer, errorPageOf, hiddenFields, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)

const base = {
  client_id: 'organizer',
  redirect_uri: CALLBACK,
  response_type: 'token id_token',
  response_mode: 'form_post',
  audience: 'appointments:api',
  scope: 'openid read:appointments',
  nonce: 'n-1',
  state: `s"<>&'1`,
}

/** Checks the page is a form_post page to `action` and returns its fields. */
function formPost(t: Test, res: LightMyRequestResponse, action: string): Record<string, string> {
  t.equal(res.statusCode, 200)
  t.equal(res.headers.location, undefined)
  t.match(res.headers['content-type'], /^text\/html/)
  t.equal(res.headers['cache-control'], 'no-store')
  const forms = [...res.body.matchAll(/<form method="post" action="([^"]*)">/g)]
  t.equal(forms.length, 1)
  t.equal(forms[0]![1]!.replaceAll('&amp;', '&'), action)
  const csp = String(res.headers['content-security-policy'])
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1]
  t.ok(nonce, 'CSP allows scripts by nonce only')
  t.match(csp, "frame-ancestors 'none'")
  t.match(res.body, `<script nonce="${nonce}">`)
  t.notMatch(res.body, /<script(?! nonce=)/, 'no script without the nonce')
  return Object.fromEntries(hiddenFields(res.body))
}

t.test('success: hidden inputs for every parameter, escaped', async (t) => {
  const { res } = await signIn(app, base)
  const fields = formPost(t, res, CALLBACK)
  t.strictSame(Object.keys(fields).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'state', 'token_type'])
  t.equal(fields.state, `s"<>&'1`)
  t.match(res.body, 'value="s&quot;&lt;&gt;&amp;&#39;1"', 'state is HTML-escaped')
  t.notMatch(res.body, `s"<>&'1`)
  t.equal(fields.token_type, 'Bearer')
  t.equal(fields.expires_in, '7200')
  t.equal(fields.scope, 'openid read:appointments')
  t.equal(decodeJwt(fields.access_token!).sub, 'auth0|alice')
  t.equal(decodeJwt(fields.id_token!).nonce, 'n-1')
})

t.test('the callback query is kept in the form action', async (t) => {
  const { res } = await signIn(app, { ...base, redirect_uri: 'https://app.example.com/other?keep=1' })
  const fields = formPost(t, res, 'https://app.example.com/other?keep=1')
  t.equal(fields.token_type, 'Bearer')
})

t.test('errors travel by form_post too', async (t) => {
  const res = await startAuthorize(app, { ...base, scope: 'openid delete:appointments' })
  t.strictSame(formPost(t, res, CALLBACK), {
    error: 'invalid_scope',
    error_description: 'scope delete:appointments is not defined by API appointments:api',
    state: `s"<>&'1`,
  })
})

t.test('errors found before the response mode is checked still use form_post', async (t) => {
  const missing = await startAuthorize(app, { ...base, response_type: '' })
  t.strictSame(formPost(t, missing, CALLBACK), {
    error: 'invalid_request',
    error_description: 'missing required parameter: response_type',
    state: `s"<>&'1`,
  })
  const repeated = await app.inject({ url: `/authorize?${new URLSearchParams(base)}&scope=openid` })
  t.strictSame(formPost(t, repeated, CALLBACK), {
    error: 'invalid_request',
    error_description: 'parameter scope must not be repeated',
    state: `s"<>&'1`,
  })
})

t.test('prompt=none errors and a denied consent use form_post', async (t) => {
  const none = await startAuthorize(app, { ...base, prompt: 'none' })
  t.equal(formPost(t, none, CALLBACK).error, 'login_required')
  const { res } = await signIn(app, base, { username: 'bob', password: 'builder', decision: 'deny' })
  t.strictSame(formPost(t, res, CALLBACK), {
    error: 'access_denied',
    error_description: 'User did not authorize the request',
    state: `s"<>&'1`,
  })
})

t.test('an untrusted redirect_uri still gets the error page, not a form', async (t) => {
  const res = await startAuthorize(app, { ...base, redirect_uri: 'https://evil.example.com/' })
  t.equal(res.statusCode, 400)
  t.notMatch(res.body, '<form method="post" action="https://evil.example.com/"')
  t.equal(errorPageOf(res.body)?.error, 'invalid_request')
})
