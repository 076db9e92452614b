// api.access.deny(reason): access_denied with that reason, the way each flow answers errors.
import t from 'tap'
import type { StoredUser } from '../../src/tenant/users.js'
import { queryOf, signIn, startAuthorize } from '../helpers/server.js'
import { tenantWithClient } from '../helpers/tenant.js'
import { actionServer, IMPLICIT, passwordGrant, postLogin } from './helpers.js'

const DENY = postLogin('gate', 'deny.js')

t.test('at /authorize: in the fragment for implicit, in the query for code, in a form_post page', async (t) => {
  const { app, events } = await actionServer(t, [DENY])
  const { res, cookie } = await signIn(app, IMPLICIT)
  t.equal(res.statusCode, 303)
  const location = new URL(res.headers.location!)
  t.equal(`${location.origin}${location.pathname}`, 'https://app.example.com/callback')
  t.same(Object.fromEntries(new URLSearchParams(location.hash.slice(1))), { error: 'access_denied', error_description: 'No entry for alice@example.com', state: 'st-1' })

  const code = await startAuthorize(app, { ...IMPLICIT, response_type: 'code', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', state: 'st-2' }, cookie)
  t.same(queryOf(code.headers.location!), { error: 'access_denied', error_description: 'No entry for alice@example.com', state: 'st-2' })

  const posted = await startAuthorize(app, { ...IMPLICIT, response_mode: 'form_post', state: 'st-3' }, cookie)
  t.equal(posted.statusCode, 200)
  t.match(posted.body, /name="error" value="access_denied"/)
  t.match(posted.body, /name="error_description" value="No entry for alice@example.com"/)

  const refused = events.list().filter((e) => e.kind === 'authorize.error')
  t.same(refused.map((e) => e.summary), ['access_denied: No entry for alice@example.com', 'access_denied: No entry for alice@example.com', 'access_denied: No entry for alice@example.com'])
  t.match(events.list().find((e) => e.kind === 'action.executed'), { summary: /^Action "gate" \(post-login\) ran in \d+ ms: denied: No entry for alice@example.com$/ })
})

t.test('at the token endpoint: 403 access_denied; on refresh too', async (t) => {
  const { app } = await actionServer(t, [DENY])
  const res = await app.inject(passwordGrant())
  t.equal(res.statusCode, 403)
  t.same(res.json(), { error: 'access_denied', error_description: 'No entry for alice@example.com' })
  t.equal(res.headers['cache-control'], 'no-store')

  const refreshOnly = await actionServer(t, [postLogin('no-refresh', 'deny-on-refresh.js')])
  const first = await refreshOnly.app.inject(passwordGrant())
  t.equal(first.statusCode, 200)
  const refreshed = await refreshOnly.app.inject({ ...passwordGrant(), payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.json().refresh_token }).toString() })
  t.equal(refreshed.statusCode, 403)
  t.same(refreshed.json(), { error: 'access_denied', error_description: 'Refresh tokens are turned off for this app' })
})

t.test('a denial stops the flow: later Actions do not run, metadata changes are kept', async (t) => {
  const { app, store, events } = await actionServer(t, [postLogin('refuse', 'deny-after-metadata.js'), postLogin('echo', 'echo-event.js')])
  const res = await app.inject(passwordGrant())
  t.equal(res.statusCode, 403)
  t.same(res.json(), { error: 'access_denied', error_description: 'Not today' })
  t.same((await store.get<StoredUser>('user', 'auth0|alice'))!.app_metadata, { last_refused: 'backend' })
  t.same(events.list().filter((e) => e.kind === 'action.executed').map((e) => e.summary.split(' ')[1]), ['"refuse"'], 'echo never ran')
})

t.test('a refresh an Action denies leaves a rotating refresh token unspent', async (t) => {
  const tenant = tenantWithClient('backend', { refresh_token: { rotation_type: 'rotating' } })
  const { app } = await actionServer(t, [postLogin('ask', 'deny-when-asked.js')], { tenant })
  const first = await app.inject(passwordGrant())
  t.equal(first.statusCode, 200)
  const refresh = (extra: Record<string, string>) =>
    app.inject({ ...passwordGrant(), payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: first.json().refresh_token, ...extra }).toString() })
  const denied = await refresh({ deny: 'yes' })
  t.equal(denied.statusCode, 403)
  t.same(denied.json(), { error: 'access_denied', error_description: 'Asked to deny' })
  const retried = await refresh({})
  t.equal(retried.statusCode, 200, 'the same token still refreshes: the denial did not spend it')
  t.type(retried.json().refresh_token, 'string')
})
