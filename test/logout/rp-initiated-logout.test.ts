// OIDC RP-Initiated Logout 1.0 at /oidc/logout: ends the session, then redirects to an allowed post_logout_redirect_uri with state.
import t, { type Test } from 'tap'
import { buildServerWithStore, postForm } from '../helpers/server.js'
import { implicitTokens } from '../helpers/tokens.js'

const AFTER = 'https://app.example.com/'

async function setUp(t: Test) {
  const { app, clock, store } = await buildServerWithStore(t)
  const { idToken, cookie } = await implicitTokens(app)
  return { app, clock, store, idToken, cookie, sessionId: cookie.split('=')[1]! }
}

const logoutUrl = (params: Record<string, string>) => `/oidc/logout?${new URLSearchParams(params)}`

t.test('id_token_hint + post_logout_redirect_uri + state: 302 with state, session ended', async (t) => {
  const { app, store, idToken, cookie, sessionId } = await setUp(t)
  const res = await app.inject({
    url: logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: AFTER, state: 'af0 ifjsldkj', ui_locales: 'fr', logout_hint: 'alice' }),
    headers: { cookie },
  })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, 'https://app.example.com/?state=af0+ifjsldkj')
  t.equal(await store.get('session', sessionId), undefined)
  t.match(res.cookies, [{ name: 'gatehouse_session', value: '', maxAge: 0, path: '/' }])
})

t.test('an expired ID token is still a good hint', async (t) => {
  const { app, clock, idToken, cookie } = await setUp(t)
  clock.advance(36000 + 1)
  const res = await app.inject({ url: logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: AFTER }), headers: { cookie } })
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, AFTER)
})

t.test('client_id instead of a hint, by POST; matching client_id beside a hint', async (t) => {
  const { app, idToken, cookie } = await setUp(t)
  const byPost = await postForm(app, '/oidc/logout', { client_id: 'organizer', post_logout_redirect_uri: AFTER, state: 's1' }, cookie)
  t.equal(byPost.statusCode, 302)
  t.equal(byPost.headers.location, 'https://app.example.com/?state=s1')
  const both = await app.inject({ url: logoutUrl({ id_token_hint: idToken, client_id: 'organizer', post_logout_redirect_uri: AFTER }) })
  t.equal(both.statusCode, 302)
  t.equal(both.headers.location, AFTER)
})

t.test('no post_logout_redirect_uri: the signed-out page, naming the client', async (t) => {
  const { app, store, idToken, cookie, sessionId } = await setUp(t)
  const res = await app.inject({ url: logoutUrl({ id_token_hint: idToken }), headers: { cookie } })
  t.equal(res.statusCode, 200)
  t.match(res.body, '<h1>You are signed out</h1>')
  t.match(res.body, 'You can go back to Organizer &lt;b&gt;&amp;&lt;/b&gt;.')
  t.equal(await store.get('session', sessionId), undefined)
  const bare = await app.inject({ url: '/oidc/logout' })
  t.equal(bare.statusCode, 200)
  t.match(bare.body, 'You can close this window.')
})
