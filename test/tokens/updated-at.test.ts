// Profile claims follow the user record: updated_at (an ISO 8601 string, as Auth0 sends it) comes with
// the profile scope once the Management API has written the user, and moves with each change.
import t from 'tap'
import { buildManagementServer, userPath } from '../management/helpers.js'
import { NOW } from '../helpers/server.js'
import { BACKEND_BASIC, getUserinfo, postToken, verifiedClaims } from '../helpers/tokens.js'

const signInAs = (app: Parameters<typeof postToken>[0], username: string, password: string, scope: string) =>
  postToken(app, { grant_type: 'password', username, password, scope }, { authorization: BACKEND_BASIC }).then((res) => res.json())

t.test('updated_at in the ID token and /userinfo with the profile scope', async (t) => {
  const { app, api, clock } = await buildManagementServer(t)
  const created = await api.post('/users', { connection: 'Username-Password-Authentication', email: 'dora@example.com', password: 'dora-pw', name: 'Dora' })
  t.equal(created.statusCode, 201)

  const first = await signInAs(app, 'dora@example.com', 'dora-pw', 'openid profile')
  const claims = await verifiedClaims(app, first.id_token)
  t.equal(claims.updated_at, new Date(NOW).toISOString())
  t.equal(claims.name, 'Dora')
  t.equal((await getUserinfo(app, first.access_token)).json().updated_at, new Date(NOW).toISOString())

  clock.advance(60)
  await api.patch(userPath(created.json().user_id), { name: 'Dora Explorer' })
  const second = await verifiedClaims(app, (await signInAs(app, 'dora@example.com', 'dora-pw', 'openid profile')).id_token)
  t.equal(second.updated_at, new Date(NOW + 60_000).toISOString())
  t.equal(second.name, 'Dora Explorer')

  const withoutProfile = await verifiedClaims(app, (await signInAs(app, 'dora@example.com', 'dora-pw', 'openid email')).id_token)
  t.notOk('updated_at' in withoutProfile, 'not without the profile scope')
  const configUser = await verifiedClaims(app, (await signInAs(app, 'alice', 'wonderland', 'openid profile')).id_token)
  t.notOk('updated_at' in configUser, 'a user from the config file has none')
})
