// The token endpoint takes a JSON body as well as a form body, as Auth0 does.
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { codeGrant, obtainCode, organizerRequest, postToken } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

for (const json of [false, true]) {
  t.test(json ? 'JSON body' : 'form body', async (t) => {
    const code = await obtainCode(app, organizerRequest())
    const res = await postToken(app, codeGrant(code), { json })
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
    payload: JSON.stringify(codeGrant(code)),
  })
  t.equal(res.statusCode, 200)
})
