// GET/POST /consent/:uid: what is asked, escaped; CSRF; decisions; unknown and expired interactions.
import t from 'tap'
import {
  buildTestServer,
  CONSENT_REQUEST,
  errorPageOf,
  hiddenField,
  loginAndResume,
  loginToConsent,
  postForm,
  startAuthorize,
} from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const base = { ...CONSENT_REQUEST, scope: 'openid read:appointments write:appointments' }
const EXPIRED = { error: 'invalid_request', description: 'this sign-in request has expired or was already completed' }

/** Each list of the consent page: the id of its heading, the heading, and its [scope, description] lines. */
function sectionsOf(html: string) {
  const section = /<h2 id="([^"]*)">([^<]*)<\/h2>\s*(?:<p[^>]*>[\s\S]*?<\/p>\s*)?<ul class="scopes" aria-labelledby="([^"]*)">([\s\S]*?)<\/ul>/g
  return [...html.matchAll(section)].map((m) => ({
    id: m[1],
    heading: m[2],
    labelledBy: m[3],
    lines: [...m[4]!.matchAll(/<li><code>([^<]*)<\/code><span>([^<]*)<\/span><\/li>/g)].map((l) => [l[1], l[2]]),
  }))
}

t.test('the consent page names the client, the API and each scope, escaped', async (t) => {
  const { app } = await buildTestServer(t)
  const { location, cookie } = await loginToConsent(app, base)
  t.match(location, /^\/consent\/[\w-]+$/)
  const page = await app.inject({ url: location, headers: { cookie } })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, '<h1>Authorize Organizer &lt;b&gt;&amp;&lt;/b&gt;</h1>')
  t.notMatch(page.body, '<b>')
  t.match(page.body, 'Signed in as <strong>Alice Liddell</strong>')
  t.match(
    page.body,
    'What <strong>Organizer &lt;b&gt;&amp;&lt;/b&gt;</strong> may do at <strong>Appointments API</strong> for you:',
  )
  t.strictSame(sectionsOf(page.body), [
    { id: 'about-you', heading: 'About you', labelledBy: 'about-you', lines: [['openid', 'Who you are (your user ID)']] },
    {
      id: 'api-access',
      heading: 'At Appointments API',
      labelledBy: 'api-access',
      lines: [
        ['read:appointments', 'Read your appointments'],
        ['write:appointments', 'Book and cancel &lt;appointments&gt;'],
      ],
    },
  ])
  t.notMatch(page.body, '<appointments>')
  t.match(page.body, `<form method="post" action="${location}" class="actions">`)
  t.match(page.body, '<button type="submit" name="decision" value="deny" class="secondary">Deny</button>')
  t.match(page.body, '<button type="submit" name="decision" value="allow">Allow</button>')
  t.match(page.body, /<input type="hidden" name="csrf" value="[\w-]{16,}">/)
})

t.test('without an audience the OIDC scopes are asked and no API is named', async (t) => {
  const { app } = await buildTestServer(t)
  const { location, cookie } = await loginToConsent(app, { ...base, audience: '', scope: 'openid email' })
  const page = await app.inject({ url: location, headers: { cookie } })
  t.strictSame(sectionsOf(page.body), [
    {
      id: 'about-you',
      heading: 'About you',
      labelledBy: 'about-you',
      lines: [
        ['openid', 'Who you are (your user ID)'],
        ['email', 'Your email address'],
      ],
    },
  ])
  t.notMatch(page.body, 'api-access')
})

t.test('what the app learns about the user is listed apart from what it may do at the API', async (t) => {
  const { app } = await buildTestServer(t)
  const scope = 'read:appointments openid profile email offline_access write:appointments'
  const { location, cookie } = await loginToConsent(app, { ...base, scope, response_type: 'code', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })
  const page = await app.inject({ url: location, headers: { cookie } })
  const [about, api] = sectionsOf(page.body)
  t.strictSame(about?.lines, [
    ['openid', 'Who you are (your user ID)'],
    ['profile', 'Your name and picture'],
    ['email', 'Your email address'],
    ['offline_access', 'Stay signed in (offline access)'],
  ])
  t.strictSame(api?.lines, [
    ['read:appointments', 'Read your appointments'],
    ['write:appointments', 'Book and cancel &lt;appointments&gt;'],
  ])
})

t.test('an API asked for with no API scopes is still named', async (t) => {
  const { app } = await buildTestServer(t)
  const { location, cookie } = await loginToConsent(app, { ...base, scope: 'openid' })
  const page = await app.inject({ url: location, headers: { cookie } })
  t.match(page.body, '<h2 id="api-access">At Appointments API</h2>')
  t.match(page.body, 'may call <strong>Appointments API</strong> for you, with no particular permissions.')
  t.strictSame(sectionsOf(page.body).map((s) => s.id), ['about-you'])
})

t.test('POST without a csrf token or with a wrong one is 403, and nothing is decided', async (t) => {
  const { app } = await buildTestServer(t)
  const { location, cookie } = await loginToConsent(app, base)
  const denied = {
    error: 'invalid_request',
    description: 'the form was not sent from this consent page (CSRF token mismatch)',
  }
  const forms: Record<string, string>[] = [{ decision: 'allow' }, { decision: 'allow', csrf: 'wrong' }, { decision: 'deny', csrf: '' }]
  for (const form of forms) {
    const res = await postForm(app, location, form, cookie)
    t.equal(res.statusCode, 403)
    t.equal(res.headers.location, undefined)
    t.strictSame(errorPageOf(res.body), denied)
  }
  // the interaction is still waiting: allowing now completes it
  const csrf = hiddenField((await app.inject({ url: location, headers: { cookie } })).body, 'csrf')
  const ok = await postForm(app, location, { decision: 'allow', csrf }, cookie)
  t.equal(ok.statusCode, 303)
  const done = await app.inject({ url: String(ok.headers.location), headers: { cookie } })
  t.ok(String(done.headers.location).startsWith(`${CALLBACK}#access_token=`))
})

t.test('a decision other than allow or deny is a 400 page', async (t) => {
  const { app } = await buildTestServer(t)
  const { location, cookie } = await loginToConsent(app, base)
  const csrf = hiddenField((await app.inject({ url: location, headers: { cookie } })).body, 'csrf')
  for (const decision of ['maybe', 'ALLOW', '']) {
    const res = await postForm(app, location, { decision, csrf }, cookie)
    t.equal(res.statusCode, 400, decision)
    t.strictSame(errorPageOf(res.body), { error: 'invalid_request', description: 'decision must be allow or deny' })
  }
})

t.test('the consent page without a session goes back through the login', async (t) => {
  const { app } = await buildTestServer(t)
  const { location } = await loginToConsent(app, base)
  const res = await app.inject({ url: location })
  t.equal(res.statusCode, 303)
  const uid = location.split('/').pop()
  t.equal(res.headers.location, `/authorize/resume/${uid}`)
  const resumed = await app.inject({ url: String(res.headers.location) })
  t.equal(resumed.headers.location, `/login/${uid}`)
})

t.test('an unknown interaction is a 400 page', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await loginToConsent(app, base)
  const get = await app.inject({ url: '/consent/unknown', headers: { cookie } })
  t.equal(get.statusCode, 400)
  t.strictSame(errorPageOf(get.body), EXPIRED)
  const post = await postForm(app, '/consent/unknown', { decision: 'allow', csrf: 'x' }, cookie)
  t.equal(post.statusCode, 400)
  t.strictSame(errorPageOf(post.body), EXPIRED)
})

t.test('an expired interaction is a 400 page', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const { location, cookie } = await loginToConsent(app, base)
  const csrf = hiddenField((await app.inject({ url: location, headers: { cookie } })).body, 'csrf')
  clock.advance(601)
  const get = await app.inject({ url: location, headers: { cookie } })
  t.equal(get.statusCode, 400)
  t.strictSame(errorPageOf(get.body), EXPIRED)
  const post = await postForm(app, location, { decision: 'allow', csrf }, cookie)
  t.equal(post.statusCode, 400)
  t.strictSame(errorPageOf(post.body), EXPIRED)
  // nothing was granted
  const again = await startAuthorize(app, { ...base, prompt: 'none' }, cookie)
  t.match(again.headers.location, /#error=consent_required&/)
})

t.test('the consent page keeps the deadline the interaction got at the start', async (t) => {
  const { app, clock } = await buildTestServer(t)
  const start = await startAuthorize(app, base)
  clock.advance(500)
  const { res, cookie } = await loginAndResume(app, String(start.headers.location))
  t.match(res.headers.location, /^\/consent\//)
  clock.advance(99)
  t.equal((await app.inject({ url: String(res.headers.location), headers: { cookie } })).statusCode, 200, 'at 599 s')
  clock.advance(2)
  const late = await app.inject({ url: String(res.headers.location), headers: { cookie } })
  t.equal(late.statusCode, 400, 'at 601 s')
  t.strictSame(errorPageOf(late.body), EXPIRED)
})

t.test("a consent form token shown to one user's session is refused with another's", async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie: alice } = await loginToConsent(app, base)
  // bob opens the consent page of his own request and keeps its token
  const start = await startAuthorize(app, base)
  const { res, cookie: bob } = await loginAndResume(app, String(start.headers.location), 'bob', 'builder')
  const location = String(res.headers.location)
  const csrf = hiddenField((await app.inject({ url: location, headers: { cookie: bob } })).body, 'csrf')
  // the same form, sent by alice's browser
  const forged = await postForm(app, location, { decision: 'allow', csrf }, alice)
  t.equal(forged.statusCode, 403)
  t.strictSame(errorPageOf(forged.body), {
    error: 'invalid_request',
    description: 'the form was not sent from this consent page (CSRF token mismatch)',
  })
  const again = await startAuthorize(app, { ...base, prompt: 'none' }, alice)
  t.match(again.headers.location, /#error=consent_required&/, 'nothing granted to alice')
  const own = await postForm(app, location, { decision: 'allow', csrf }, bob)
  t.equal(own.statusCode, 303, 'bob can still answer')
})

t.test('a consent form posted from another site is refused', async (t) => {
  const { app } = await buildTestServer(t)
  const { location, cookie } = await loginToConsent(app, base)
  const csrf = hiddenField((await app.inject({ url: location, headers: { cookie } })).body, 'csrf')
  const res = await app.inject({
    method: 'POST',
    url: location,
    payload: new URLSearchParams({ decision: 'allow', csrf }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'sec-fetch-site': 'cross-site' },
  })
  t.equal(res.statusCode, 403)
  const again = await startAuthorize(app, { ...base, prompt: 'none' }, cookie)
  t.match(again.headers.location, /#error=consent_required&/, 'nothing granted')
})
