// Resource Owner Password Credentials (RFC 6749 §4.3) for backend: username or email, ID token with openid.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { ISSUER } from '../helpers/tenant.js'
import { BACKEND_BASIC, errorOf, leftHalfSha256, NOW_SECONDS, postToken, verifiedClaims } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const password = (extra: Record<string, string>) =>
  postToken(app, { grant_type: 'password', ...extra }, { authorization: BACKEND_BASIC })

for (const username of ['alice', 'alice@example.com', 'ALICE@example.com']) {
  t.test(`signs in with ${username}`, async (t) => {
    const res = await password({ username, password: 'wonderland', scope: 'openid email' })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['cache-control'], 'no-store')
    const body = res.json()
    t.strictSame(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'token_type'])
    t.equal(body.scope, 'openid email')
    t.match(await verifiedClaims(app, body.access_token), {
      sub: 'auth0|alice',
      aud: `${ISSUER}userinfo`,
      azp: 'backend',
      gty: 'password',
      scope: 'openid email',
      iat: NOW_SECONDS,
    })
    const id = await verifiedClaims(app, body.id_token)
    t.match(id, { sub: 'auth0|alice', aud: 'backend', auth_time: NOW_SECONDS, email: 'alice@example.com', at_hash: leftHalfSha256(body.access_token) })
    t.equal(id.nonce, undefined)
  })
}

t.test('without openid, no ID token', async (t) => {
  const res = await password({ username: 'bob', password: 'builder', audience: 'appointments:api', scope: 'read:appointments' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.id_token, undefined)
  t.match(await verifiedClaims(app, body.access_token), { sub: 'auth0|bob', aud: 'appointments:api', gty: 'password' })
})

t.test('offline_access gives a refresh token', async (t) => {
  const res = await password({ username: 'alice', password: 'wonderland', audience: 'appointments:api', scope: 'openid offline_access' })
  t.type(res.json().refresh_token, 'string')
})

t.test('a wrong password is invalid_grant', async (t) => {
  for (const [username, pass] of [['alice', 'builder'], ['nobody', 'wonderland'], ['alice', 'Wonderland']]) {
    t.strictSame(errorOf(await password({ username: username!, password: pass! })), {
      status: 400,
      error: 'invalid_grant',
      error_description: 'Wrong email or password.',
    }, `${username}/${pass}`)
  }
})

t.test('missing username or password is invalid_request', async (t) => {
  t.strictSame(errorOf(await password({ password: 'wonderland' })), {
    status: 400,
    error: 'invalid_request',
    error_description: 'missing required parameter: username',
  })
  t.strictSame(errorOf(await password({ username: 'alice' })), {
    status: 400,
    error: 'invalid_request',
    error_description: 'missing required parameter: password',
  })
})

t.test('a client without the password grant is unauthorized_client', async (t) => {
  const res = await postToken(app, { grant_type: 'password', client_id: 'first-party', username: 'alice', password: 'wonderland' })
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'unauthorized_client',
    error_description: 'client first-party is not allowed the password grant',
  })
})
