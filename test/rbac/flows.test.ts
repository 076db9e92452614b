// RBAC through every flow that issues tokens: the code flow (decided at /authorize and kept in the
// code), implicit, refresh, client_credentials; and Management API writes on the very next request.
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { fragmentOf, loginToConsent, signIn, submitConsent } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { BACKEND_BASIC, codeGrant, obtainCode, organizerRequest, postToken, refreshGrant, verifiedClaims } from '../helpers/tokens.js'
import { userPath } from '../management/helpers.js'
import { jsonRequest } from '../management/json-request.js'
import { API, buildRbacServer, passwordTokens, READ, WRITE } from './helpers.js'

const RBAC = { enforce_policies: true, token_dialect: 'access_token_authz' } as const

t.test('code flow: the scopes and permissions decided at /authorize come back from the code exchange', async (t) => {
  const { app, api, token } = await buildRbacServer(t, RBAC)
  const request = organizerRequest({ audience: API, scope: `openid ${READ} ${WRITE}` })
  const code = await obtainCode(app, request)
  // A change after /authorize does not reach a code already issued: its plan was made then.
  const editor = (await api.get('/roles', { name_filter: 'editor' })).json()[0]
  await setRoles(app, token, 'POST', 'auth0|alice', [editor.id])

  const res = await postToken(app, codeGrant(code, { redirect_uri: request.redirect_uri! }))
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.scope, `openid ${READ}`)
  const claims = await verifiedClaims(app, body.access_token)
  t.equal(claims.scope, `openid ${READ}`)
  t.strictSame(claims.permissions, [READ])
  t.notOk('permissions' in (await verifiedClaims(app, body.id_token)), 'the ID token has no permissions')
})

t.test('implicit flow: the consent page asks for what was requested; the token carries what the user is permitted', async (t) => {
  const { app } = await buildRbacServer(t, RBAC)
  const params = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'token', audience: API, scope: `${READ} ${WRITE}`, state: 's' }
  const { location, cookie } = await loginToConsent(app, params)
  const page = await app.inject({ url: location, headers: { cookie } })
  t.match(page.body, `<code>${WRITE}</code>`, 'RBAC filters at issuance, as Auth0 does, not on the consent page')
  const consent = await submitConsent(app, location, cookie)
  const res = await app.inject({ url: consent.headers.location!, headers: { cookie } })
  const fragment = fragmentOf(String(res.headers.location))
  t.equal(fragment.scope, READ)
  t.strictSame((await verifiedClaims(app, fragment.access_token!)).permissions, [READ])
})

t.test('refresh: each refresh asks again, so a role taken away or given back shows at once', async (t) => {
  const { app, api, token } = await buildRbacServer(t, RBAC)
  const first = await passwordTokens(app, 'bob', 'builder', `openid offline_access ${READ} ${WRITE}`)
  t.equal(first.body.scope, `openid offline_access ${READ} ${WRITE}`)
  const editor = (await api.get('/roles', { name_filter: 'editor' })).json()[0]
  await setRoles(app, token, 'DELETE', 'auth0|bob', [editor.id])

  const refresh = () => postToken(app, { ...refreshGrant(first.body.refresh_token!), client_id: 'backend' }, { authorization: BACKEND_BASIC })
  const narrowed = (await refresh()).json()
  t.equal(narrowed.scope, `openid offline_access ${WRITE}`, 'bob keeps only his direct permission')
  t.strictSame((await verifiedClaims(app, narrowed.access_token)).permissions, [WRITE])

  await setRoles(app, token, 'POST', 'auth0|bob', [editor.id])
  const restored = (await refresh()).json()
  t.equal(restored.scope, `openid offline_access ${READ} ${WRITE}`, 'never more than the refresh token\'s own grant')
  t.strictSame((await verifiedClaims(app, restored.access_token)).permissions, [READ, WRITE])
})

t.test('client_credentials: scopes follow the client grant; with an *_authz dialect they are the permissions too', async (t) => {
  const { app } = await buildRbacServer(t, RBAC)
  const res = await postToken(app, { grant_type: 'client_credentials', audience: API }, { authorization: BACKEND_BASIC })
  t.equal(res.json().scope, READ)
  const claims = await verifiedClaims(app, res.json().access_token)
  t.equal(claims.sub, 'backend@clients')
  t.strictSame(claims.permissions, [READ])

  const plain = await buildRbacServer(t, { enforce_policies: true, token_dialect: 'access_token' })
  const other = await postToken(plain.app, { grant_type: 'client_credentials', audience: API }, { authorization: BACKEND_BASIC })
  t.equal(other.json().scope, READ)
  t.notOk('permissions' in (await verifiedClaims(plain.app, other.json().access_token)))
})

t.test('Management API writes show on the next token: roles, role permissions, direct permissions, API settings', async (t) => {
  const { app, api, token } = await buildRbacServer(t, RBAC)
  const asCarol = () => passwordTokens(app, 'carol', 'carol-pw', `openid ${READ} ${WRITE}`)
  t.strictSame((await asCarol()).claims.permissions, [])

  const auditor = (await api.post('/roles', { name: 'auditor' })).json()
  await setRoles(app, token, 'POST', 'auth0|carol', [auditor.id])
  t.strictSame((await asCarol()).claims.permissions, [], 'a role without permissions gives nothing')
  await api.post(`/roles/${auditor.id}/permissions`, { permissions: [{ resource_server_identifier: API, permission_name: READ }] })
  const withRole = await asCarol()
  t.strictSame(withRole.claims.permissions, [READ])
  t.equal(withRole.body.scope, `openid ${READ}`)

  await api.post(`${userPath('auth0|carol')}/permissions`, { permissions: [{ resource_server_identifier: API, permission_name: WRITE }] })
  t.strictSame((await asCarol()).claims.permissions, [READ, WRITE])

  t.equal((await api.delete(`/roles/${auditor.id}`)).statusCode, 200)
  t.strictSame((await asCarol()).claims.permissions, [WRITE], 'a deleted role gives nothing any more')

  await api.patch(`/resource-servers/${Buffer.from(API).toString('base64url')}`, { enforce_policies: false, token_dialect: 'access_token' })
  const off = await asCarol()
  t.equal(off.body.scope, `openid ${READ} ${WRITE}`, 'RBAC turned off: every requested scope')
  t.notOk('permissions' in off.claims)
})

t.test('the login session is no shortcut: silent authentication asks again', async (t) => {
  const { app, api, token } = await buildRbacServer(t, RBAC)
  const params = { client_id: 'first-party', redirect_uri: CALLBACK, response_type: 'token', audience: API, scope: `${READ} ${WRITE}`, state: 's' }
  const { res, cookie } = await signIn(app, params, { username: 'bob', password: 'builder' })
  t.equal(fragmentOf(String(res.headers.location)).scope, `${READ} ${WRITE}`)
  const editor = (await api.get('/roles', { name_filter: 'editor' })).json()[0]
  await setRoles(app, token, 'DELETE', 'auth0|bob', [editor.id])
  const silent = await app.inject({ url: `/authorize?${new URLSearchParams({ ...params, prompt: 'none' })}`, headers: { cookie } })
  const fragment = fragmentOf(String(silent.headers.location))
  t.equal(fragment.scope, WRITE)
  t.strictSame((await verifiedClaims(app, fragment.access_token!)).permissions, [WRITE])
})

/** POST or DELETE /users/{id}/roles. */
async function setRoles(app: FastifyInstance, token: string, method: 'POST' | 'DELETE', userId: string, roles: string[]) {
  const res = await jsonRequest(app, token, method, `${userPath(userId)}/roles`, { roles })
  if (res.statusCode !== 204) throw new Error(`${method} roles: ${res.statusCode} ${res.body}`)
}
