// A hybrid response with an ID token needs a nonce (OIDC Core §3.3.2.11); code token does not.
import t from 'tap'
import { authorizeUrl, buildTestServer, fragmentOf } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { organizerRequest } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const withoutNonce = (responseType: string) => {
  const request = organizerRequest({ response_type: responseType })
  delete request.nonce
  return request
}

for (const responseType of ['code id_token', 'code id_token token']) {
  t.test(`${responseType} without nonce is invalid_request in the fragment`, async (t) => {
    const res = await app.inject({ url: authorizeUrl(withoutNonce(responseType)) })
    t.equal(res.statusCode, 303)
    const location = String(res.headers.location)
    t.ok(location.startsWith(`${CALLBACK}#`), location)
    t.strictSame(fragmentOf(location), {
      error: 'invalid_request',
      error_description: 'nonce is required when response_type includes id_token',
      state: 'st-1',
    })
  })
}

for (const [name, responseType] of [['code token', 'code token'], ['plain code', 'code']] as const) {
  t.test(`${name} without nonce goes on to the login`, async (t) => {
    const res = await app.inject({ url: authorizeUrl(withoutNonce(responseType)) })
    t.equal(res.statusCode, 303)
    t.match(res.headers.location, /^\/login\/[\w-]+$/)
  })
}
