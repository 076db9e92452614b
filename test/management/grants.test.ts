// /api/v2/grants: the consents users gave, listed in Auth0's spelling; a deleted one is asked for again.
import t from 'tap'
import { CONSENT_REQUEST, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK, ISSUER } from '../helpers/tenant.js'
import { answer, auth0Error, buildManagementServer, userPath } from './helpers.js'

const CONSENT = /^\/consent\//
const OIDC_ONLY = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid profile', nonce: 'n', state: 's' }

/** alice consents twice (organizer at the API, organizer for OIDC only); bob once; returns their session cookies. */
async function consentAll(app: Parameters<typeof signIn>[0]) {
  const alice = (await signIn(app, CONSENT_REQUEST)).cookie
  await signIn(app, OIDC_ONLY)
  const bob = (await signIn(app, CONSENT_REQUEST, { username: 'bob', password: 'builder' })).cookie
  return { alice, bob }
}

const strip = (grants: { id: string }[]) => grants.map(({ id: _id, ...rest }) => rest)

t.test('GET /grants lists consents: Auth0\'s fields, the /userinfo audience for OIDC-only consent', async (t) => {
  const { app, api } = await buildManagementServer(t)
  await consentAll(app)
  const res = await api.get('/grants')
  t.equal(res.statusCode, 200)
  const grants = res.json()
  for (const grant of grants) t.match(grant.id, /^[A-Za-z0-9_-]+$/, 'an id that travels in a URL path')
  // in id order: user, client, then audience ('' for OIDC-only consent sorts first)
  t.strictSame(strip(grants), [
    { clientID: 'organizer', user_id: 'auth0|alice', audience: `${ISSUER}userinfo`, scope: ['openid', 'profile'] },
    { clientID: 'organizer', user_id: 'auth0|alice', audience: 'appointments:api', scope: ['openid', 'read:appointments'] },
    { clientID: 'organizer', user_id: 'auth0|bob', audience: 'appointments:api', scope: ['openid', 'read:appointments'] },
  ])
})

t.test('filters: user_id, client_id, audience; paging with totals', async (t) => {
  const { app, api } = await buildManagementServer(t)
  await consentAll(app)
  const users = async (query: Record<string, string | number | boolean>) =>
    (await api.get('/grants', query)).json().map((g: { user_id: string; audience: string }) => `${g.user_id} ${g.audience}`)
  t.strictSame(await users({ user_id: 'auth0|alice' }), [`auth0|alice ${ISSUER}userinfo`, 'auth0|alice appointments:api'])
  t.strictSame(await users({ user_id: 'auth0|bob', client_id: 'organizer' }), ['auth0|bob appointments:api'])
  t.strictSame(await users({ audience: 'appointments:api' }), ['auth0|alice appointments:api', 'auth0|bob appointments:api'])
  t.strictSame(await users({ audience: `${ISSUER}userinfo` }), [`auth0|alice ${ISSUER}userinfo`])
  t.strictSame(await users({ client_id: 'organizer', per_page: 1, page: 2 }), ['auth0|bob appointments:api'])
  t.strictSame(await users({ user_id: 'auth0|alice', client_id: 'organizer', audience: 'appointments:api' }), ['auth0|alice appointments:api'])
  t.strictSame(await users({ client_id: 'first-party' }), [])
  t.strictSame(await users({ user_id: 'auth0|al' }), [], 'a user_id is matched whole, never as a prefix')

  const totals = (await api.get('/grants', { audience: 'appointments:api', per_page: 1, include_totals: true })).json()
  t.strictSame({ ...totals, grants: totals.grants.length }, { start: 0, limit: 1, length: 1, total: 2, grants: 1 })
  const byUser = (await api.get('/grants', { user_id: 'auth0|alice', include_totals: true })).json()
  t.strictSame({ ...byUser, grants: byUser.grants.length }, { start: 0, limit: 50, length: 2, total: 2, grants: 2 })
})

t.test('DELETE /grants/{id}: 204, and the next /authorize asks for consent again', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const { alice } = await consentAll(app)
  t.equal((await startAuthorize(app, CONSENT_REQUEST, alice)).headers.location?.startsWith(CALLBACK), true, 'consent remembered')
  const [grant] = (await api.get('/grants', { user_id: 'auth0|alice', audience: 'appointments:api' })).json()
  t.strictSame(answer(await api.delete(`/grants/${grant.id}`)), { status: 204, body: undefined })
  t.match((await startAuthorize(app, CONSENT_REQUEST, alice)).headers.location, CONSENT, 'the consent page is back')
  t.equal((await api.get('/grants', { user_id: 'auth0|alice' })).json().length, 1, 'the other grant stays')
  t.strictSame(answer(await api.delete(`/grants/${grant.id}`)), auth0Error(404, 'Not Found', 'The grant does not exist.', 'inexistent_grant'))
})

t.test('DELETE /grants/{id} of ids Gatehouse never made: 404', async (t) => {
  const { api } = await buildManagementServer(t)
  const missing = auth0Error(404, 'Not Found', 'The grant does not exist.', 'inexistent_grant')
  for (const id of ['nope', Buffer.from('["a","b"]').toString('base64url'), Buffer.from('[1,2,3]').toString('base64url'), 'a.b']) {
    t.strictSame(answer(await api.delete(`/grants/${id}`)), missing, id)
  }
})

t.test('DELETE /grants?user_id=: every consent of that user, nobody else\'s', async (t) => {
  const { app, api } = await buildManagementServer(t)
  const { alice, bob } = await consentAll(app)
  t.strictSame(answer(await api.delete('/grants', { user_id: 'auth0|alice' })), { status: 204, body: undefined })
  t.strictSame((await api.get('/grants')).json().map((g: { user_id: string }) => g.user_id), ['auth0|bob'])
  t.match((await startAuthorize(app, CONSENT_REQUEST, alice)).headers.location, CONSENT)
  t.equal((await startAuthorize(app, CONSENT_REQUEST, bob)).headers.location?.startsWith(CALLBACK), true)
  t.strictSame(
    answer(await api.delete('/grants')),
    auth0Error(400, 'Bad Request', "Query validation error: 'Missing required property: user_id'.", 'invalid_query_string'),
  )
})

t.test('deleting a user deletes their grants', async (t) => {
  const { app, api } = await buildManagementServer(t)
  await consentAll(app)
  await api.delete(userPath('auth0|alice'))
  t.strictSame((await api.get('/grants')).json().map((g: { user_id: string }) => g.user_id), ['auth0|bob'])
})
