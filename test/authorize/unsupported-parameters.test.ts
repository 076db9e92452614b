// Request objects and registration are refused by name, as discovery says (OIDC Core §3.1.2.6).
import t from 'tap'
import { CALLBACK } from '../helpers/tenant.js'
import { buildTestServer, fragmentOf, startAuthorize } from '../helpers/server.js'

const base = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n', state: 'st' }

t.test('request, request_uri and registration get their own error codes', async (t) => {
  const { app } = await buildTestServer(t)
  const cases = [
    ['request', 'eyJhbGciOiJub25lIn0.e30.', 'request_not_supported'],
    ['request_uri', 'https://app.example.com/request.jwt', 'request_uri_not_supported'],
    ['registration', '{"logo_uri":"https://app.example.com/logo.png"}', 'registration_not_supported'],
  ] as const
  for (const [name, value, error] of cases) {
    const res = await startAuthorize(app, { ...base, [name]: value })
    t.equal(res.statusCode, 303, name)
    t.strictSame(fragmentOf(res.headers.location!), {
      error,
      error_description: `the ${name} parameter is not supported (see request_parameter_supported in discovery)`,
      state: 'st',
    })
  }
})
