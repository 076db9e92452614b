// code_challenge = 43*128 unreserved characters (RFC 7636 §4.2); anything else is invalid_request.
import t from 'tap'
import { authorizeUrl, buildTestServer, queryOf } from '../helpers/server.js'
import { organizerRequest } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const malformed = {
  'too short (42)': 'a'.repeat(42),
  'too long (129)': 'a'.repeat(129),
  'padded base64': 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM=',
  'standard base64 characters': 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+c/',
  'a space': 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw cM',
}

for (const [what, challenge] of Object.entries(malformed)) {
  t.test(`${what} is invalid_request`, async (t) => {
    const res = await app.inject({ url: authorizeUrl(organizerRequest({ code_challenge: challenge })) })
    t.equal(res.statusCode, 303)
    t.strictSame(queryOf(String(res.headers.location)), {
      error: 'invalid_request',
      error_description: 'code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~]',
      state: 'st-1',
    })
  })
}

for (const length of [43, 128]) {
  t.test(`${length} characters are accepted`, async (t) => {
    const res = await app.inject({ url: authorizeUrl(organizerRequest({ code_challenge: 'A-._~'.repeat(26).slice(0, length) })) })
    t.equal(res.statusCode, 303)
    t.match(res.headers.location, /^\/login\//)
  })
}
