// client_secret_basic (RFC 6749 §2.3.1): id and secret are form-urlencoded, then joined by ":" and base64-encoded.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { tenantWithClient } from '../helpers/tenant.js'
import { BACKEND_BASIC, basicAuth, errorOf, formEncode, postToken } from '../helpers/tokens.js'

const ccRequest = { grant_type: 'client_credentials', audience: 'appointments:api' }

t.test('backend authenticates with Basic', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await postToken(app, ccRequest, { authorization: BACKEND_BASIC })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['www-authenticate'], undefined)
})

t.test('the scheme name is case-insensitive', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await postToken(app, ccRequest, { authorization: BACKEND_BASIC.replace('Basic', 'bAsIc') })
  t.equal(res.statusCode, 200)
})

t.test('client_id in the body may repeat the Basic one, never differ', async (t) => {
  const { app } = await buildTestServer(t)
  t.equal((await postToken(app, { ...ccRequest, client_id: 'backend' }, { authorization: BACKEND_BASIC })).statusCode, 200)
  const res = await postToken(app, { ...ccRequest, client_id: 'organizer' }, { authorization: BACKEND_BASIC })
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'invalid_request',
    error_description: 'client_id in the body differs from the Basic credentials',
  })
})

t.test('a secret with special characters is form-urlencoded inside Basic', async (t) => {
  const secret = 'p@ss:w/rd+&= %é~'
  const tenant = tenantWithClient('backend', { client_secret: secret })
  const { app } = await buildTestServer(t, { tenant })
  t.equal(formEncode(secret), 'p%40ss%3Aw%2Frd%2B%26%3D+%25%C3%A9%7E')

  const res = await postToken(app, ccRequest, { authorization: basicAuth('backend', secret) })
  t.equal(res.statusCode, 200, 'encoded as RFC 6749 asks')

  const spaceAsPercent = `Basic ${Buffer.from(`backend:${encodeURIComponent(secret)}`).toString('base64')}`
  t.equal((await postToken(app, ccRequest, { authorization: spaceAsPercent })).statusCode, 200, '%20 for a space decodes too')

  const raw = `Basic ${Buffer.from(`backend:${secret}`).toString('base64')}`
  const refused = await postToken(app, ccRequest, { authorization: raw })
  t.equal(refused.statusCode, 401, 'not encoded: "%" and "+" do not decode to the secret')
  t.equal(refused.json().error, 'invalid_client')

  const post = await postToken(app, { ...ccRequest, client_id: 'backend', client_secret: secret })
  t.equal(post.statusCode, 200, 'client_secret_post carries the secret as a plain form value')
})
