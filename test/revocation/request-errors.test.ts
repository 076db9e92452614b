// /oauth/revoke authenticates the client as the token endpoint does; failures are JSON errors (RFC 7009 §2.2.1, RFC 6749 §5.2).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { BACKEND_BASIC, basicAuth, postOAuth } from '../helpers/tokens.js'

t.test('client authentication failures: 401 invalid_client with a Basic challenge', async (t) => {
  const { app } = await buildTestServer(t)
  const cases: { name: string; authorization?: string; form: Record<string, string>; description: string }[] = [
    { name: 'wrong secret', authorization: basicAuth('backend', 'nope'), form: { token: 'x' }, description: 'client authentication failed: wrong client_secret for backend' },
    { name: 'confidential client without a secret', form: { client_id: 'backend', token: 'x' }, description: 'client backend must authenticate (client_secret_basic or client_secret_post)' },
    { name: 'public client with a secret', form: { client_id: 'organizer', client_secret: 's', token: 'x' }, description: 'client organizer is a public client and must not send a client secret' },
    { name: 'no client at all', form: { token: 'x' }, description: 'client authentication failed: no client_id given' },
    { name: 'unknown client', form: { client_id: 'nobody', token: 'x' }, description: 'client authentication failed: unknown client nobody' },
  ]
  for (const { name, authorization, form, description } of cases) {
    const res = await postOAuth(app, '/oauth/revoke', form, { authorization })
    t.equal(res.statusCode, 401, name)
    t.equal(res.headers['www-authenticate'], 'Basic realm="gatehouse"', name)
    t.equal(res.headers['cache-control'], 'no-store', name)
    t.same(res.json(), { error: 'invalid_client', error_description: description }, name)
  }
})

t.test('no token, or two: 400 invalid_request', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await postOAuth(app, '/oauth/revoke', {}, { authorization: BACKEND_BASIC })
  t.equal(res.statusCode, 400)
  t.same(res.json(), { error: 'invalid_request', error_description: 'parameter token is required' })
  t.equal(res.headers['www-authenticate'], undefined)
  const twice = await app.inject({
    method: 'POST',
    url: '/oauth/revoke',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'client_id=organizer&token=a&token=b',
  })
  t.equal(twice.statusCode, 400)
  t.same(twice.json(), { error: 'invalid_request', error_description: 'parameter token must not be repeated' })
})
