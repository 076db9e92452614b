// response_type=code answers in the query by default (RFC 6749 §4.1.2), keeping the callback's own query.
import t from 'tap'
import { buildTestServer, queryOf, signIn } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { organizerRequest } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

t.test('code and state in the query, nothing else', async (t) => {
  const { res } = await signIn(app, organizerRequest())
  t.equal(res.statusCode, 303)
  t.equal(res.headers['cache-control'], 'no-store')
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}?`), location)
  t.notOk(location.includes('#'), 'no fragment')
  const query = queryOf(location)
  t.strictSame(Object.keys(query).sort(), ['code', 'state'])
  t.equal(query.state, 'st-1')
  t.match(query.code, /^[\w-]{32}$/)
})

t.test('the registered query of the callback is kept', async (t) => {
  const other = 'https://app.example.com/other?keep=1'
  const { res } = await signIn(app, organizerRequest({ redirect_uri: other }))
  const location = new URL(String(res.headers.location))
  t.equal(`${location.origin}${location.pathname}`, 'https://app.example.com/other')
  t.strictSame([...location.searchParams.keys()], ['keep', 'code', 'state'])
  t.equal(location.searchParams.get('keep'), '1')
  t.equal(location.searchParams.get('state'), 'st-1')
})

t.test('without state, no state is sent back', async (t) => {
  const request = organizerRequest()
  delete request.state
  const { res } = await signIn(app, request)
  t.strictSame(Object.keys(queryOf(String(res.headers.location))), ['code'])
})

t.test('response_mode=query asked explicitly is the same', async (t) => {
  const { res } = await signIn(app, organizerRequest({ response_mode: 'query' }))
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}?code=`), location)
})
