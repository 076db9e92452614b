// GET /v2/logout with an unknown client or a returnTo that is not allowed: an error page, no redirect, session kept.
import t from 'tap'
import { buildServerWithStore, errorPageOf } from '../helpers/server.js'
import { implicitTokens } from '../helpers/tokens.js'

const cases = [
  {
    query: 'client_id=nobody&returnTo=https%3A%2F%2Fapp.example.com%2F',
    error: 'invalid_client',
    description: 'unknown client_id nobody',
  },
  {
    query: 'client_id=organizer&returnTo=https%3A%2F%2Fevil.example.com%2F',
    error: 'invalid_request',
    description: 'returnTo https://evil.example.com/ is not in the allowed_logout_urls of client organizer',
  },
  {
    // exact match only: no prefix, no trailing-slash leniency
    query: 'client_id=organizer&returnTo=https%3A%2F%2Fapp.example.com',
    error: 'invalid_request',
    description: 'returnTo https://app.example.com is not in the allowed_logout_urls of client organizer',
  },
  {
    query: 'returnTo=https%3A%2F%2Fapp.example.com%2Fsomewhere',
    error: 'invalid_request',
    description: "returnTo https://app.example.com/somewhere is not in any client's allowed_logout_urls",
  },
  {
    query: 'client_id=organizer&client_id=single',
    error: 'invalid_request',
    description: 'parameter client_id must not be repeated',
  },
]

t.test('refused requests', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  const { cookie } = await implicitTokens(app)
  const sessionId = cookie.split('=')[1]!
  for (const { query, error, description } of cases) {
    const res = await app.inject({ url: `/v2/logout?${query}`, headers: { cookie } })
    t.equal(res.statusCode, 400, query)
    t.equal(res.headers.location, undefined, query)
    t.equal(res.headers['set-cookie'], undefined, query)
    t.same(errorPageOf(res.body), { error, description }, query)
  }
  t.ok(await store.get('session', sessionId), 'the session survives every refused request')
})
