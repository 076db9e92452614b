// Malformed token requests are 400 invalid_request or unsupported_grant_type (RFC 6749 §5.2), never a 500 or a 200.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { BACKEND_BASIC, errorOf, postToken } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const raw = (payload: string, contentType: string) =>
  app.inject({ method: 'POST', url: '/oauth/token', payload, headers: { 'content-type': contentType, authorization: BACKEND_BASIC } })

t.test('missing grant_type', async (t) => {
  t.strictSame(errorOf(await postToken(app, { client_id: 'organizer' })), {
    status: 400,
    error: 'invalid_request',
    error_description: 'missing required parameter: grant_type',
  })
  t.equal((await postToken(app, { grant_type: '', client_id: 'organizer' })).json().error, 'invalid_request', 'empty counts as missing')
})

t.test('unknown grant_type', async (t) => {
  for (const grantType of ['implicit', 'urn:ietf:params:oauth:grant-type:device_code', 'AUTHORIZATION_CODE']) {
    t.strictSame(errorOf(await postToken(app, { grant_type: grantType, client_id: 'organizer' })), {
      status: 400,
      error: 'unsupported_grant_type',
      error_description: `unsupported grant_type: ${grantType}`,
    })
  }
})

t.test('names inherited from Object.prototype are unknown grant types', async (t) => {
  for (const grantType of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    const res = await postToken(app, { grant_type: grantType, client_id: 'organizer' })
    t.strictSame(errorOf(res), {
      status: 400,
      error: 'unsupported_grant_type',
      error_description: `unsupported grant_type: ${grantType}`,
    })
    t.notMatch(res.body, 'backend-secret', grantType)
  }
})

t.test('a repeated parameter in a form body', async (t) => {
  const res = await raw('grant_type=client_credentials&audience=appointments:api&audience=https://ec.example.com/', 'application/x-www-form-urlencoded')
  t.strictSame(errorOf(res), { status: 400, error: 'invalid_request', error_description: 'parameter audience must not be repeated' })
  const grant = await raw('grant_type=client_credentials&grant_type=client_credentials', 'application/x-www-form-urlencoded')
  t.strictSame(errorOf(grant), { status: 400, error: 'invalid_request', error_description: 'parameter grant_type must not be repeated' })
})

t.test('a JSON body that is not an object', async (t) => {
  for (const payload of ['[]', '"x"', '42', 'true', '[{"grant_type":"client_credentials"}]']) {
    t.strictSame(errorOf(await raw(payload, 'application/json')), {
      status: 400,
      error: 'invalid_request',
      error_description: 'the request body must be application/x-www-form-urlencoded or a JSON object',
    }, payload)
  }
  const nothing = await raw('null', 'application/json')
  t.equal(nothing.statusCode, 400)
  t.equal(nothing.json().error, 'invalid_request')
})

t.test('a JSON parameter that is not a string', async (t) => {
  const res = await raw('{"grant_type":"client_credentials","audience":{"a":1}}', 'application/json')
  t.strictSame(errorOf(res), { status: 400, error: 'invalid_request', error_description: 'parameter audience must be a string' })
  const list = await raw('{"grant_type":["client_credentials"]}', 'application/json')
  t.equal(list.statusCode, 400)
  t.equal(list.json().error, 'invalid_request')
})

t.test('malformed or empty JSON', async (t) => {
  for (const payload of ['{bad', '']) {
    const res = await raw(payload, 'application/json')
    t.equal(res.statusCode, 400, JSON.stringify(payload))
    t.equal(res.json().error, 'invalid_request')
  }
})

t.test('a wrong content type gets a 4xx with an OAuth error body', async (t) => {
  const body = 'grant_type=client_credentials&audience=appointments:api'
  const text = await raw(body, 'text/plain')
  t.match(text.headers['content-type'], /^application\/json/)
  t.strictSame(errorOf(text), {
    status: 400,
    error: 'invalid_request',
    error_description: 'the request body must be application/x-www-form-urlencoded or a JSON object',
  })
  for (const contentType of ['application/xml', 'multipart/form-data; boundary=x']) {
    const res = await raw(body, contentType)
    t.match(res.headers['content-type'], /^application\/json/)
    t.strictSame(errorOf(res), { status: 415, error: 'invalid_request', error_description: 'Unsupported Media Type' }, contentType)
  }
})

t.test('no body at all', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/oauth/token' })
  t.strictSame(errorOf(res), { status: 400, error: 'invalid_request', error_description: 'missing required parameter: grant_type' })
})

t.test('GET is not the token endpoint', async (t) => {
  const res = await app.inject({ url: '/oauth/token?grant_type=client_credentials' })
  t.equal(res.statusCode, 404)
})

t.test('an oversized parameter', async (t) => {
  t.strictSame(errorOf(await postToken(app, { grant_type: 'authorization_code', client_id: 'organizer', code: 'x'.repeat(8193) })), {
    status: 400,
    error: 'invalid_request',
    error_description: 'parameter code is longer than 8192 characters',
  })
})
