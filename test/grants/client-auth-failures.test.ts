// Failed client authentication is 401 invalid_client with a Basic challenge (RFC 6749 §5.2); two methods at once is invalid_request.
import t, { type Test } from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { BACKEND_BASIC, BACKEND_SECRET, basicAuth, errorOf, postToken } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const cc = { grant_type: 'client_credentials', audience: 'appointments:api' }

function invalidClient(t: Test, res: LightMyRequestResponse, description: string) {
  t.strictSame(errorOf(res), { status: 401, error: 'invalid_client', error_description: description })
  t.equal(res.headers['www-authenticate'], 'Basic realm="gatehouse"')
  t.equal(res.headers['cache-control'], 'no-store')
}

t.test('wrong secret with Basic', async (t) => {
  const res = await postToken(app, cc, { authorization: basicAuth('backend', 'wrong') })
  invalidClient(t, res, 'client authentication failed: wrong client_secret for backend')
})

t.test('wrong secret in the body', async (t) => {
  const res = await postToken(app, { ...cc, client_id: 'backend', client_secret: `${BACKEND_SECRET}x` })
  invalidClient(t, res, 'client authentication failed: wrong client_secret for backend')
})

t.test('a confidential client that does not authenticate', async (t) => {
  const res = await postToken(app, { ...cc, client_id: 'backend' })
  invalidClient(t, res, 'client backend must authenticate (client_secret_basic or client_secret_post)')
})

t.test('no client at all', async (t) => {
  const res = await postToken(app, cc)
  invalidClient(t, res, 'client authentication failed: no client_id given')
})

t.test('an unknown client', async (t) => {
  invalidClient(t, await postToken(app, { ...cc, client_id: 'nobody' }), 'client authentication failed: unknown client nobody')
  invalidClient(
    t,
    await postToken(app, cc, { authorization: basicAuth('nobody', 'secret') }),
    'client authentication failed: unknown client nobody',
  )
})

t.test('malformed Basic credentials', async (t) => {
  // A bare "Basic" carries no credentials at all, so it reads as no client authentication.
  invalidClient(t, await postToken(app, cc, { authorization: 'Basic' }), 'client authentication failed: no client_id given')
  for (const header of ['Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from(':secret').toString('base64')}`]) {
    invalidClient(t, await postToken(app, cc, { authorization: header }), 'client authentication failed: malformed Basic credentials')
  }
})

t.test('Basic and client_secret in the body at once', async (t) => {
  const res = await postToken(app, { ...cc, client_secret: BACKEND_SECRET }, { authorization: BACKEND_BASIC })
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'invalid_request',
    error_description: 'use one client authentication method, not both Basic and client_secret',
  })
})

t.test('a public client sending a secret', async (t) => {
  const form = { grant_type: 'refresh_token', refresh_token: 'x', client_id: 'organizer', client_secret: 'anything' }
  invalidClient(t, await postToken(app, form), 'client organizer is a public client and must not send a client secret')
  const basic = await postToken(app, { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: basicAuth('organizer', 'anything') })
  invalidClient(t, basic, 'client organizer is a public client and must not send a client secret')
})

t.test('client authentication comes before the code is looked at', async (t) => {
  const res = await postToken(
    app,
    { grant_type: 'authorization_code', code: 'whatever', redirect_uri: CALLBACK },
    { authorization: basicAuth('backend', 'wrong') },
  )
  t.equal(res.statusCode, 401)
  t.equal(res.json().error, 'invalid_client')
})
