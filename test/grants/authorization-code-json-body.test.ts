// The token endpoint takes a JSON body as well as a form body, as Auth0 does.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { obtainCode, organizerRequest, postToken, VERIFIER } from '../helpers/token.js'

const { app } = await buildTestServer(t)

for (const json of [false, true]) {
  t.test(json ? 'JSON body' : 'form body', async (t) => {
    const code = await obtainCode(app, organizerRequest())
    const params = { grant_type: 'authorization_code', client_id: 'organizer', code, redirect_uri: CALLBACK, code_verifier: VERIFIER }
    const res = await postToken(app, params, { json })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['cache-control'], 'no-store')
    const body = res.json()
    t.equal(body.token_type, 'Bearer')
    t.equal(body.scope, 'openid profile')
    t.type(body.id_token, 'string')
  })
}

t.test('JSON with a charset parameter', async (t) => {
  const code = await obtainCode(app, organizerRequest())
  const res = await app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    payload: JSON.stringify({ grant_type: 'authorization_code', client_id: 'organizer', code, redirect_uri: CALLBACK, code_verifier: VERIFIER }),
  })
  t.equal(res.statusCode, 200)
})
