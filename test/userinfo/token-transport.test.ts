// RFC 6750 §2: the token comes in the Authorization header or a form body, never the query, and one way only.
import t from 'tap'
import { buildTestServer, postForm } from '../helpers/server.js'
import { getUserinfo, implicitTokens } from '../helpers/tokens.js'

const invalidRequest = (description: string) =>
  `Bearer realm="gatehouse", error="invalid_request", error_description="${description}"`

t.test('accepted: header on GET and POST, form body on POST', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  const viaGet = await getUserinfo(app, accessToken)
  const viaPost = await app.inject({ method: 'POST', url: '/userinfo', headers: { authorization: `bearer ${accessToken}` } })
  const viaForm = await postForm(app, '/userinfo', { access_token: accessToken })
  for (const res of [viaGet, viaPost, viaForm]) {
    t.equal(res.statusCode, 200)
    t.equal(res.json().sub, 'auth0|alice')
  }
})

t.test('refused with 400 invalid_request', async (t) => {
  const { app } = await buildTestServer(t)
  const { accessToken } = await implicitTokens(app)
  const cases = [
    {
      name: 'token in the query',
      req: { url: `/userinfo?access_token=${accessToken}` },
      description: 'access_token in the URL query is not accepted; send it in the Authorization header',
    },
    {
      name: 'header and body both',
      req: {
        method: 'POST' as const,
        url: '/userinfo',
        payload: `access_token=${accessToken}`,
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      },
      description: 'send the access token one way only, not in both the Authorization header and the body',
    },
    {
      name: 'JSON body',
      req: { method: 'POST' as const, url: '/userinfo', payload: { access_token: accessToken } },
      description: 'access_token in the body needs Content-Type application/x-www-form-urlencoded',
    },
    {
      name: 'Bearer without a token',
      req: { url: '/userinfo', headers: { authorization: 'Bearer' } },
      description: 'the Authorization header must hold exactly one token after Bearer',
    },
    {
      name: 'characters outside b64token',
      req: { url: '/userinfo', headers: { authorization: 'Bearer a,b' } },
      description: 'the access token is malformed',
    },
  ]
  for (const { name, req, description } of cases) {
    const res = await app.inject(req)
    t.equal(res.statusCode, 400, name)
    t.equal(res.headers['www-authenticate'], invalidRequest(description), name)
    t.same(res.json(), { error: 'invalid_request', error_description: description }, name)
    t.equal(res.headers['cache-control'], 'no-store', name)
  }
})
