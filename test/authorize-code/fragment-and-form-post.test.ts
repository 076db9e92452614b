// response_type=code honours response_mode fragment and form_post when asked (OAuth 2.0 Multiple Response Types, Form Post).
import t from 'tap'
import { buildTestServer, fragmentOf, hiddenFields, signIn } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { organizerRequest } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

t.test('fragment', async (t) => {
  const { res } = await signIn(app, organizerRequest({ response_mode: 'fragment' }))
  t.equal(res.statusCode, 303)
  const location = String(res.headers.location)
  t.ok(location.startsWith(`${CALLBACK}#`), location)
  t.equal(new URL(location).search, '', 'nothing in the query')
  const fragment = fragmentOf(location)
  t.strictSame(Object.keys(fragment).sort(), ['code', 'state'])
  t.equal(fragment.state, 'st-1')
})

t.test('form_post', async (t) => {
  const { res } = await signIn(app, organizerRequest({ response_mode: 'form_post' }))
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html/)
  t.equal(res.headers.location, undefined)
  t.match(res.body, `action="${CALLBACK}"`)
  const fields = hiddenFields(res.body)
  t.strictSame(
    fields.map(([name]) => name),
    ['code', 'state'],
  )
  t.equal(fields[1]![1], 'st-1')
  t.match(fields[0]![1], /^[\w-]{32}$/)
})
