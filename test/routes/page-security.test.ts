// Every HTML page: not cached, not framed, no referrer, scripts by nonce only.
import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import {
  buildTestServer,
  CONSENT_REQUEST,
  hiddenField,
  loginAndResume,
  postForm,
  signIn,
  startAuthorize,
  submitLogin,
} from '../helpers/server.js'

const base = CONSENT_REQUEST

const { app } = await buildTestServer(t)

async function pages(): Promise<[string, LightMyRequestResponse, number][]> {
  const login = String((await startAuthorize(app, base)).headers.location)
  const loginPage = await app.inject({ url: login })
  const wrongPassword = await submitLogin(app, login, 'alice', 'wrong')
  const csrfLogin = await postForm(app, login, { username: 'alice', password: 'wonderland', csrf: 'wrong' })
  const { res: consentRedirect, cookie } = await loginAndResume(app, login)
  const consentLocation = String(consentRedirect.headers.location)
  const consentPage = await app.inject({ url: consentLocation, headers: { cookie } })
  const csrfConsent = await postForm(app, consentLocation, { decision: 'allow', csrf: 'wrong' }, cookie)
  const badDecision = await postForm(
    app,
    consentLocation,
    { decision: 'maybe', csrf: hiddenField(consentPage.body, 'csrf') },
    cookie,
  )
  const unknownClient = await startAuthorize(app, { ...base, client_id: 'nope' })
  const expired = await app.inject({ url: '/login/unknown' })
  const resumeExpired = await app.inject({ url: '/authorize/resume/unknown' })
  const formPostError = await startAuthorize(app, { ...base, response_mode: 'form_post', scope: 'nope' })
  const { res: formPostSuccess } = await signIn(app, { ...base, response_mode: 'form_post' })
  return [
    ['login page', loginPage, 200],
    ['login page after a wrong password', wrongPassword, 400],
    ['login CSRF error', csrfLogin, 403],
    ['consent page', consentPage, 200],
    ['consent CSRF error', csrfConsent, 403],
    ['consent bad decision', badDecision, 400],
    ['error page: unknown client', unknownClient, 400],
    ['error page: unknown interaction', expired, 400],
    ['error page: resume of an unknown interaction', resumeExpired, 400],
    ['form_post error', formPostError, 200],
    ['form_post success', formPostSuccess, 200],
  ]
}

for (const [name, res, status] of await pages()) {
  t.test(name, async (t) => {
    t.equal(res.statusCode, status)
    t.equal(res.headers['content-type'], 'text/html; charset=utf-8')
    t.equal(res.headers['cache-control'], 'no-store')
    t.equal(res.headers['x-frame-options'], 'DENY')
    t.equal(res.headers['referrer-policy'], 'no-referrer')
    t.equal(res.headers['x-content-type-options'], 'nosniff')
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /(^|; )frame-ancestors 'none'(;|$)/)
    t.match(csp, /(^|; )default-src 'none'(;|$)/)
    t.match(csp, /(^|; )script-src 'nonce-[A-Za-z0-9+/=]{16,}'(;|$)/)
    t.notMatch(csp, 'unsafe-inline')
  })
}

t.test('each page gets a fresh script nonce', async (t) => {
  const a = await app.inject({ url: '/login/unknown' })
  const b = await app.inject({ url: '/login/unknown' })
  t.not(a.headers['content-security-policy'], b.headers['content-security-policy'])
})

t.test('redirects from /authorize are not cached either', async (t) => {
  const toLogin = await startAuthorize(app, base)
  t.equal(toLogin.headers['cache-control'], 'no-store')
  const toCallback = await startAuthorize(app, { ...base, scope: 'nope' })
  t.equal(toCallback.statusCode, 303)
  t.equal(toCallback.headers['cache-control'], 'no-store')
})
