// Auth0's own Node SDK (auth0 v4), unmodified, against a listening Gatehouse: ManagementClient creates an
// API with RBAC, a role with a permission and a user, gives the user the role, and AuthenticationClient's
// password grant gets a token whose permissions claim holds it. The SDK speaks https://<domain>; its
// `fetch` option carries the requests to Gatehouse's plain-HTTP port.
import { AuthenticationClient, ManagementApiError, ManagementClient } from 'auth0'
import { decodeJwt } from 'jose'
import t from 'tap'
import { MANAGEMENT_SCOPES } from '../../src/management/scopes.js'
import { buildServer } from '../../src/server.js'
import { freePort } from '../helpers/listen.js'
import { testConfig, testTenant } from '../helpers/tenant.js'
import { BACKEND_SECRET } from '../helpers/tokens.js'
import { machine } from '../management/helpers.js'

const port = await freePort()
const issuer = `http://127.0.0.1:${port}/`
const tenant = testTenant()
tenant.clients.push(machine('manager', 'manager-secret'))
tenant.client_grants.push({ client_id: 'manager', audience: `${issuer}api/v2/`, scope: [...MANAGEMENT_SCOPES] })
const app = await buildServer(testConfig({ issuer, port, tenant }), { logger: false })
await app.listen({ host: '127.0.0.1', port })
t.teardown(() => app.close())

const overHttp = (url: RequestInfo | URL, init?: RequestInit) => fetch(String(url instanceof Request ? url.url : url).replace(/^https:/, 'http:'), init)
const domain = `127.0.0.1:${port}`
const management = new ManagementClient({ domain, clientId: 'manager', clientSecret: 'manager-secret', audience: `${issuer}api/v2/`, telemetry: false, fetch: overHttp })
const authentication = new AuthenticationClient({ domain, clientId: 'backend', clientSecret: BACKEND_SECRET, telemetry: false, fetch: overHttp })

t.test('an API, a role with a permission, a user with the role: the next token holds the permission', async (t) => {
  const { data: api } = await management.resourceServers.create({
    identifier: 'https://reports.example.com/',
    name: 'Reports',
    scopes: [{ value: 'read:reports', description: 'Read reports' }, { value: 'delete:reports', description: 'Delete reports' }],
    enforce_policies: true,
    token_dialect: 'access_token_authz',
  })
  t.strictSame([api.enforce_policies, api.token_dialect], [true, 'access_token_authz'])
  const { data: role } = await management.roles.create({ name: 'report-reader', description: 'Reads reports' })
  t.match(role.id, /^rol_[A-Za-z0-9]{16}$/)
  await management.roles.addPermissions({ id: role.id }, { permissions: [{ resource_server_identifier: 'https://reports.example.com/', permission_name: 'read:reports' }] })
  const { data: user } = await management.users.create({ connection: 'Username-Password-Authentication', email: 'rita@example.com', password: 'rita-pw' })
  await management.users.assignRoles({ id: user.user_id }, { roles: [role.id] })

  const { data: roles } = await management.users.getRoles({ id: user.user_id, include_totals: true })
  t.strictSame(roles, { start: 0, limit: 50, total: 1, roles: [{ id: role.id, name: 'report-reader', description: 'Reads reports' }] })
  const { data: permissions } = await management.users.getPermissions({ id: user.user_id })
  t.strictSame(permissions, [
    {
      permission_name: 'read:reports',
      description: 'Read reports',
      resource_server_name: 'Reports',
      resource_server_identifier: 'https://reports.example.com/',
      sources: [{ source_id: role.id, source_name: 'report-reader', source_type: 'ROLE' }],
    },
  ])
  const { data: members } = await management.roles.getUsers({ id: role.id })
  t.strictSame(members.map((m) => m.user_id), [user.user_id])

  const { data: tokens } = await authentication.oauth.passwordGrant({
    username: 'rita@example.com',
    password: 'rita-pw',
    audience: 'https://reports.example.com/',
    scope: 'read:reports delete:reports',
  })
  const claims = decodeJwt(tokens.access_token)
  t.equal(claims.scope, 'read:reports')
  t.strictSame(claims.permissions, ['read:reports'])

  await management.users.deleteRoles({ id: user.user_id }, { roles: [role.id] })
  const { data: after } = await authentication.oauth.passwordGrant({ username: 'rita@example.com', password: 'rita-pw', audience: 'https://reports.example.com/' })
  t.strictSame(decodeJwt(after.access_token).permissions, [], 'the role taken away is gone from the next token')

  await management.roles.delete({ id: role.id })
  const error = await management.roles.get({ id: role.id }).catch((err: unknown) => err)
  t.ok(error instanceof ManagementApiError)
  t.match(error, { statusCode: 404, error: 'Not Found', message: 'The role does not exist.' })
})
