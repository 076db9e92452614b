// Only confidential clients may introspect; failures are JSON errors (RFC 7662 §2.3, RFC 6749 §5.2).
import t from 'tap'
import { buildTestServer, postForm } from '../helpers/server.js'
import { BACKEND_BASIC, basicAuth, postOAuth } from '../helpers/tokens.js'

t.test('a public client: 401 invalid_client with a Basic challenge', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await postForm(app, '/oauth/introspect', { client_id: 'organizer', token: 'x' })
  t.equal(res.statusCode, 401)
  t.equal(res.headers['www-authenticate'], 'Basic realm="gatehouse"')
  t.equal(res.headers['cache-control'], 'no-store')
  t.same(res.json(), {
    error: 'invalid_client',
    error_description: 'client organizer is a public client; only confidential clients may introspect tokens',
  })
})

t.test('a wrong secret: 401 invalid_client', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await postOAuth(app, '/oauth/introspect', { token: 'x' }, { authorization: basicAuth('backend', 'wrong') })
  t.equal(res.statusCode, 401)
  t.equal(res.headers['www-authenticate'], 'Basic realm="gatehouse"')
  t.same(res.json(), { error: 'invalid_client', error_description: 'client authentication failed: wrong client_secret for backend' })
})

t.test('client_secret_post works too; no token is 400 invalid_request', async (t) => {
  const { app } = await buildTestServer(t)
  const ok = await postForm(app, '/oauth/introspect', { client_id: 'backend', client_secret: 'backend-secret', token: 'x' })
  t.equal(ok.statusCode, 200)
  t.same(ok.json(), { active: false })
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/introspect',
    headers: { authorization: BACKEND_BASIC },
  })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { error: 'invalid_request', error_description: 'parameter token is required' })
  t.equal(res.headers['www-authenticate'], undefined)
})
