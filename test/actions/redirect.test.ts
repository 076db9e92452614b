// api.redirect: the login pauses at the Action's page and goes on at /continue?state=… in its
// onContinuePostLogin; tokens carried both ways are HS256 JWTs on the Action's secret.
import { decodeJwt, SignJWT } from 'jose'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import type { StoredUser } from '../../src/tenant/users.js'
import { queryOf, signIn, startAuthorize } from '../helpers/server.js'
import { actionServer, EVENT_CLAIM, IMPLICIT, passwordGrant, postLogin, tokensOf } from './helpers.js'

const SECRET = 'a-secret-the-terms-page-shares-with-the-action'
const TERMS = postLogin('terms', 'terms.js', { secrets: { TERMS_SECRET: SECRET } })
const NOW = 1_700_000_000

/** What the terms page sends back: a token on the shared secret, naming the user and the state. */
const answer = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT({ iat: NOW, exp: NOW + 60, iss: 'https://terms.example.com/', sub: 'auth0|alice', accepted: true, version: 'v2', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret))

/** Signs in until the Action redirects; the redirect, its state and the session cookie. */
async function pausedLogin(app: FastifyInstance) {
  const { res, cookie } = await signIn(app, IMPLICIT)
  t.equal(res.statusCode, 303)
  const location = new URL(res.headers.location!)
  return { location, state: location.searchParams.get('state')!, cookie }
}

t.test('the user is sent to the page with a signed token, and comes back to finish the login', async (t) => {
  const { app, store, events } = await actionServer(t, [TERMS, postLogin('echo', 'echo-event.js')])
  const { location, state, cookie } = await pausedLogin(app)
  t.equal(`${location.origin}${location.pathname}`, 'https://terms.example.com/accept')
  t.same([...location.searchParams.keys()], ['session_token', 'lang', 'state'])
  t.equal(location.searchParams.get('lang'), 'en')
  t.same(decodeJwt(location.searchParams.get('session_token')!), { email: 'alice@example.com', iat: NOW, iss: 'gatehouse.test', exp: NOW + 120, sub: 'auth0|alice' })
  t.same(events.list().filter((e) => e.kind === 'action.executed').length, 1, 'the next Action waits for the user to come back')

  const back = await app.inject({ url: `/continue?state=${state}&session_token=${await answer({ state })}`, headers: { cookie } })
  t.equal(back.statusCode, 303)
  const { id, fragment } = tokensOf(back.headers.location!)
  t.equal(fragment.state, 'st-1', "the app's own state comes back to it")
  t.equal(id['https://gatehouse.test/terms'], 'v2')
  t.equal(id.nonce, 'n-1')
  const seen = id[EVENT_CLAIM] as { user: StoredUser; request: { query: Record<string, string> } }
  t.same(seen.user.app_metadata, { terms_accepted: 'v2' }, 'later Actions see what onContinuePostLogin set')
  t.equal(seen.request.query.state, state, 'event.request is the /continue request')
  t.same((await store.get<StoredUser>('user', 'auth0|alice'))!.app_metadata, { terms_accepted: 'v2' })

  const replay = await app.inject({ url: `/continue?state=${state}&session_token=${await answer({ state })}`, headers: { cookie } })
  t.equal(replay.statusCode, 400)
  t.match(replay.body, /this sign-in request has expired or was already completed/, 'a paused login continues once')

  const next = await signIn(app, { ...IMPLICIT, state: 'st-9' })
  t.match(next.res.headers.location, /^https:\/\/app\.example\.com\/callback#/, 'accepted once, never asked again')
})

t.test('the token may come back in a POST form body', async (t) => {
  const { app } = await actionServer(t, [TERMS])
  const { state, cookie } = await pausedLogin(app)
  const back = await app.inject({
    method: 'POST',
    url: '/continue',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ state, session_token: await answer({ state }) }).toString(),
  })
  t.equal(back.statusCode, 303)
  t.equal(tokensOf(back.headers.location!).id['https://gatehouse.test/terms'], 'v2')
})

t.test('a token that does not check out fails the login with access_denied', async (t) => {
  const cases: [string, (state: string) => Promise<string>, string][] = [
    ['another state', () => answer({ state: 'forged' }), 'State in the token does not match the /continue state.'],
    ['another secret', (state) => answer({ state }, 'not-the-secret'), 'the signature does not match the secret'],
    ['another user', (state) => answer({ state, sub: 'auth0|bob' }), 'Subject in the token does not match the user logging in.'],
  ]
  for (const [what, token, why] of cases) {
    const { app } = await actionServer(t, [TERMS])
    const { state, cookie } = await pausedLogin(app)
    const back = await app.inject({ url: `/continue?state=${state}&session_token=${await token(state)}`, headers: { cookie } })
    t.equal(back.statusCode, 303, what)
    t.match(back.headers.location, /^https:\/\/app\.example\.com\/callback#/, what)
    t.same(
      Object.fromEntries(new URLSearchParams(new URL(back.headers.location!).hash.slice(1))),
      { error: 'access_denied', error_description: `Action "terms" failed: The session token is invalid: ${why}`, state: 'st-1' },
      what,
    )
  }
})

t.test('/continue refuses what it cannot take up', async (t) => {
  const { app } = await actionServer(t, [TERMS])
  const { state } = await pausedLogin(app)
  const noState = await app.inject({ url: '/continue' })
  t.equal(noState.statusCode, 400)
  t.match(noState.body, /missing state/)
  const unknown = await app.inject({ url: '/continue?state=not-a-paused-login' })
  t.equal(unknown.statusCode, 400)
  t.match(unknown.body, /this sign-in request has expired or was already completed/)
  const otherBrowser = await app.inject({ url: `/continue?state=${state}&session_token=x` })
  t.equal(otherBrowser.statusCode, 403)
  t.match(otherBrowser.body, /paused in another browser session/)
})

t.test('where no browser can follow a redirect: interaction_required', async (t) => {
  const { app } = await actionServer(t, [TERMS])
  const { cookie } = await pausedLogin(app)
  const silent = await startAuthorize(app, { ...IMPLICIT, prompt: 'none', response_type: 'code', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }, cookie)
  t.same(queryOf(silent.headers.location!), {
    error: 'interaction_required',
    error_description: 'Action "terms" (post-login) called api.redirect.sendUserTo, which prompt=none does not allow',
    state: 'st-1',
  })
  const token = await app.inject(passwordGrant())
  t.equal(token.statusCode, 400)
  t.same(token.json(), { error: 'interaction_required', error_description: 'Action "terms" (post-login) called api.redirect.sendUserTo, which a password token request cannot follow' })
})

t.test('a redirect from an Action without onContinuePostLogin is a server_error', async (t) => {
  const { app } = await actionServer(t, [postLogin('half', 'redirect-without-continue.js')])
  const { res } = await signIn(app, IMPLICIT)
  t.same(Object.fromEntries(new URLSearchParams(new URL(res.headers.location!).hash.slice(1))), {
    error: 'server_error',
    error_description: 'Action "half" (post-login) redirects the user but does not export onContinuePostLogin, where the login would continue',
    state: 'st-1',
  })
})
