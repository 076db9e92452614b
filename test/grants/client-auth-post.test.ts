// client_secret_post (RFC 6749 §2.3.1): a confidential client may send its secret in the body, as Auth0 allows.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { BACKEND_SECRET, postToken } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

for (const json of [false, true]) {
  t.test(`client_secret_post in a ${json ? 'JSON' : 'form'} body`, async (t) => {
    const res = await postToken(
      app,
      { grant_type: 'client_credentials', audience: 'appointments:api', client_id: 'backend', client_secret: BACKEND_SECRET },
      { json },
    )
    t.equal(res.statusCode, 200)
    t.equal(res.json().token_type, 'Bearer')
  })
}
