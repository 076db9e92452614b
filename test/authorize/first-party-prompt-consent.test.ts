import t from 'tap'
import { CALLBACK } from '../helpers/tenant.js'
import { buildTestServer, fragmentOf, signIn, startAuthorize } from '../helpers/server.js'

const params = {
  client_id: 'first-party',
  redirect_uri: CALLBACK,
  response_type: 'token',
  scope: 'openid read:appointments',
  audience: 'appointments:api',
  state: 'st',
}

t.test('a first-party client skips consent, but prompt=consent still asks', async (t) => {
  const { app } = await buildTestServer(t)
  const { res, cookie } = await signIn(app, params)
  t.equal(res.statusCode, 303)
  t.ok(fragmentOf(res.headers.location!).access_token, 'tokens without a consent page')

  const again = await startAuthorize(app, { ...params, prompt: 'consent' }, cookie)
  t.equal(again.statusCode, 303)
  t.match(again.headers.location, /^\/consent\//)

  const silent = await startAuthorize(app, { ...params, prompt: 'none' }, cookie)
  t.equal(fragmentOf(silent.headers.location!).state, 'st')
  t.ok(fragmentOf(silent.headers.location!).access_token, 'prompt=none is not blocked by the skipped consent')
})
