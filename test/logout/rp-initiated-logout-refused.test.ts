// /oidc/logout refuses what it cannot trust with an error page: no redirect, and the session is kept.
import t from 'tap'
import { buildServerWithStore, errorPageOf } from '../helpers/server.js'
import { implicitTokens } from '../helpers/tokens.js'

const AFTER = 'https://app.example.com/'

t.test('refused requests', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  const { idToken, accessToken, cookie } = await implicitTokens(app)
  const sessionId = cookie.split('=')[1]!
  const [header, payload, signature] = idToken.split('.')
  const forged = `${header}.${payload}.${signature!.slice(0, -4)}AAAA`

  const cases: { params: Record<string, string>; error: string; description: string }[] = [
    {
      params: { id_token_hint: forged, post_logout_redirect_uri: AFTER },
      error: 'invalid_request',
      description: 'id_token_hint is not an ID token from this issuer: its signature does not verify (signature verification failed)',
    },
    {
      params: { id_token_hint: accessToken, post_logout_redirect_uri: AFTER },
      error: 'invalid_request',
      description: "id_token_hint is not an ID token from this issuer: its typ is at+jwt, an ID token's is JWT",
    },
    {
      params: { id_token_hint: idToken, client_id: 'single', post_logout_redirect_uri: AFTER },
      error: 'invalid_request',
      description: 'client_id single does not match the audience of id_token_hint (organizer)',
    },
    {
      params: { id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example.com/' },
      error: 'invalid_request',
      description: 'post_logout_redirect_uri https://evil.example.com/ is not in the allowed_logout_urls of client organizer',
    },
    {
      params: { post_logout_redirect_uri: AFTER },
      error: 'invalid_request',
      description: 'post_logout_redirect_uri needs id_token_hint or client_id, to know whose allowed_logout_urls to check',
    },
    {
      params: { client_id: 'nobody', post_logout_redirect_uri: AFTER },
      error: 'invalid_client',
      description: 'unknown client_id nobody',
    },
  ]
  for (const { params, error, description } of cases) {
    const res = await app.inject({ url: `/oidc/logout?${new URLSearchParams(params)}`, headers: { cookie } })
    t.equal(res.statusCode, 400, description)
    t.equal(res.headers.location, undefined, description)
    t.equal(res.headers['set-cookie'], undefined, description)
    t.same(errorPageOf(res.body), { error, description }, description)
  }
  t.ok(await store.get('session', sessionId), 'the session survives every refused request')
})
