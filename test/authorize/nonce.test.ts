// An ID token from /authorize needs openid and a nonce, which it carries back (OIDC Core §3.2.2.1).
import t from 'tap'
import { decodeJwt } from 'jose'
import { buildTestServer, fragmentOf, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)

const base = { client_id: 'organizer', redirect_uri: CALLBACK, scope: 'openid', state: 'st-1' }

t.test('nonce missing with id_token is invalid_request', async (t) => {
  for (const responseType of ['id_token', 'token id_token', 'id_token token']) {
    for (const nonce of [undefined, '']) {
      const params = { ...base, response_type: responseType, ...(nonce === undefined ? {} : { nonce }) }
      const res = await startAuthorize(app, params)
      t.equal(res.statusCode, 303)
      const location = String(res.headers.location)
      t.ok(location.startsWith(`${CALLBACK}#`))
      t.strictSame(fragmentOf(location), {
        error: 'invalid_request',
        error_description: 'nonce is required when response_type includes id_token',
        state: 'st-1',
      })
    }
  }
})

t.test('id_token without the openid scope is invalid_request', async (t) => {
  const res = await startAuthorize(app, { ...base, scope: 'profile', response_type: 'id_token', nonce: 'n' })
  t.strictSame(fragmentOf(String(res.headers.location)), {
    error: 'invalid_request',
    error_description: 'response_type id_token needs the openid scope',
    state: 'st-1',
  })
})

t.test('a nonce longer than 2048 characters is invalid_request', async (t) => {
  const res = await startAuthorize(app, { ...base, response_type: 'id_token', nonce: 'n'.repeat(2049) })
  t.strictSame(fragmentOf(String(res.headers.location)), {
    error: 'invalid_request',
    error_description: 'parameter nonce is longer than 2048 characters',
    state: 'st-1',
  })
})

t.test('token alone needs no nonce', async (t) => {
  const res = await startAuthorize(app, { ...base, response_type: 'token' })
  t.equal(res.statusCode, 303)
  t.match(res.headers.location, /^\/login\/[\w-]+$/)
})

t.test('the ID token carries the nonce exactly', async (t) => {
  const nonce = 'n-0S6_WzA2Mj ü+/=&é'
  const { res } = await signIn(app, { ...base, response_type: 'id_token', nonce })
  const claims = decodeJwt(fragmentOf(String(res.headers.location)).id_token!)
  t.equal(claims.nonce, nonce)

  const { res: again } = await signIn(app, { ...base, response_type: 'id_token token', nonce: 'second' })
  t.equal(decodeJwt(fragmentOf(String(again.headers.location)).id_token!).nonce, 'second')
})
