// id_token_hint at /authorize (OIDC Core §3.1.2.1): names the user the client expects to be signed in.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { decodeJwt } from 'jose'
import { buildTestServer, fragmentOf, loginAndResume, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const base = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 'st-1' }
const LOGIN = /^\/login\/[\w-]+$/

/** Signs in through the implicit flow; returns the ID token and the session cookie. */
async function idTokenFor(app: FastifyInstance, username: string, password: string, params: Record<string, string> = base) {
  const { res, cookie } = await signIn(app, params, { username, password })
  const idToken = fragmentOf(String(res.headers.location)).id_token
  if (idToken === undefined) throw new Error(`no id_token in ${res.headers.location}`)
  return { idToken, cookie }
}

t.test('a hint naming the signed-in user changes nothing: prompt=none issues tokens', async (t) => {
  const { app } = await buildTestServer(t)
  const { idToken, cookie } = await idTokenFor(app, 'alice', 'wonderland')
  const res = await startAuthorize(app, { ...base, prompt: 'none', id_token_hint: idToken }, cookie)
  t.equal(res.statusCode, 303)
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.error, undefined)
  t.equal(decodeJwt(fragment.id_token!).sub, 'auth0|alice')
  t.equal(fragment.state, 'st-1')
})

t.test('a hint for bob while alice is signed in', async (t) => {
  const { app } = await buildTestServer(t)
  const { cookie } = await idTokenFor(app, 'alice', 'wonderland')
  const { idToken: bobToken } = await idTokenFor(app, 'bob', 'builder')

  t.test('prompt=none: login_required', async (t) => {
    const res = await startAuthorize(app, { ...base, prompt: 'none', id_token_hint: bobToken }, cookie)
    t.equal(res.statusCode, 303)
    const fragment = fragmentOf(String(res.headers.location))
    t.equal(fragment.error, 'login_required')
    t.equal(fragment.error_description, "the session's user is not the user id_token_hint names, and prompt=none does not allow the login page")
    t.equal(fragment.state, 'st-1')
  })

  t.test('without prompt=none: the login page; whoever logs in there is accepted', async (t) => {
    const res = await startAuthorize(app, { ...base, id_token_hint: bobToken }, cookie)
    t.equal(res.statusCode, 303)
    t.match(res.headers.location, LOGIN)
    const resumed = await loginAndResume(app, String(res.headers.location), 'alice', 'wonderland')
    const fragment = fragmentOf(String(resumed.res.headers.location))
    t.equal(fragment.error, undefined, 'no loop back to the login page')
    t.equal(decodeJwt(fragment.id_token!).sub, 'auth0|alice')
  })
})

t.test('a tampered hint: invalid_request sent to the redirect_uri', async (t) => {
  const { app } = await buildTestServer(t)
  const { idToken, cookie } = await idTokenFor(app, 'alice', 'wonderland')
  const [header, , signature] = idToken.split('.')
  const payload = Buffer.from(JSON.stringify({ ...decodeJwt(idToken), sub: 'auth0|bob' })).toString('base64url')
  const res = await startAuthorize(app, { ...base, id_token_hint: `${header}.${payload}.${signature}` }, cookie)
  t.equal(res.statusCode, 303)
  t.ok(String(res.headers.location).startsWith(`${CALLBACK}#`))
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.error, 'invalid_request')
  t.equal(fragment.error_description, 'id_token_hint is not an ID token from this issuer: its signature does not verify (signature verification failed)')
  t.equal(fragment.state, 'st-1')

  const garbage = await startAuthorize(app, { ...base, prompt: 'none', id_token_hint: 'not-a-jwt' }, cookie)
  t.strictSame(fragmentOf(String(garbage.headers.location)), {
    error: 'invalid_request',
    error_description: 'id_token_hint is not an ID token from this issuer: its signature does not verify (Invalid Compact JWS)',
    state: 'st-1',
  })
})

t.test('a hint issued to another client: invalid_request', async (t) => {
  const { app } = await buildTestServer(t)
  const { idToken, cookie } = await idTokenFor(app, 'alice', 'wonderland', { ...base, client_id: 'first-party' })
  const res = await startAuthorize(app, { ...base, prompt: 'none', id_token_hint: idToken }, cookie)
  t.equal(res.statusCode, 303)
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.error, 'invalid_request')
  t.equal(fragment.error_description, 'id_token_hint was issued to first-party, not to organizer')
  t.equal(fragment.state, 'st-1')
})
