// On SQLite, config roles keep their ids across restarts, so assignments made at runtime still hold.
import path from 'node:path'
import t from 'tap'
import { buildServer } from '../../src/server.js'
import { configRoleId } from '../../src/tenant/seed-access.js'
import { testConfig } from '../helpers/tenant.js'
import { managementApi, managementToken, userPath } from '../management/helpers.js'
import { jsonRequest } from '../management/json-request.js'
import { passwordTokens, rbacTenant, READ, WRITE } from './helpers.js'
import { madeKey } from '../helpers/made-keys.js'

t.test('roles and assignments survive a restart; a config role keeps its id', async (t) => {
  const store = `sqlite:${path.join(t.testdir(), 'gatehouse.db')}`
  const start = async () => {
    const app = await buildServer(testConfig({ tenant: rbacTenant({ enforce_policies: true, token_dialect: 'access_token_authz' }), store }), {
      logger: false,
      generateKey: madeKey,
    })
    const token = await managementToken(app)
    return { app, token, api: managementApi(app, token) }
  }

  const first = await start()
  const editor = (await first.api.get('/roles', { name_filter: 'editor' })).json()[0]
  t.equal(editor.id, configRoleId('editor'))
  const res = await jsonRequest(first.app, first.token, 'POST', `${userPath('auth0|carol')}/roles`, { roles: [editor.id] })
  t.equal(res.statusCode, 204)
  const auditor = (await first.api.post('/roles', { name: 'auditor' })).json()
  await first.app.close()

  const second = await start()
  t.teardown(() => second.app.close())
  t.strictSame((await second.api.get(`${userPath('auth0|carol')}/roles`)).json(), [editor])
  t.strictSame((await second.api.get(`/roles/${auditor.id}`)).json(), auditor, 'a role made at runtime stays')
  const { body, claims } = await passwordTokens(second.app, 'carol', 'carol-pw', `openid ${READ} ${WRITE}`)
  t.equal(body.scope, `openid ${READ} ${WRITE}`)
  t.strictSame(claims.permissions, [READ, WRITE])
})
