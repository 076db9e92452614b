// The config file's RBAC: roles[], users[].roles and users[].permissions are checked against each other
// and against resource_servers, and reported at their path.
import t from 'tap'
import { checkConfigFile, checkTenant } from '../../src/config/schema.js'
import type { Permission, Tenant } from '../../src/config/types.js'
import { testTenant } from '../helpers/tenant.js'

const read: Permission = { resource_server_identifier: 'appointments:api', permission_name: 'read:appointments' }

function tenantWith(fields: Partial<Tenant>, users?: (users: Tenant['users']) => Tenant['users']): Tenant {
  const tenant = { ...testTenant(), ...fields }
  if (users) tenant.users = users(tenant.users)
  return tenant
}

t.test('roles, their users and their permissions that fit together pass', async (t) => {
  const tenant = tenantWith({ roles: [{ name: 'reader', permissions: [read] }, { name: 'nobody' }] }, ([alice, ...rest]) => [
    { ...alice!, roles: ['reader', 'nobody'], permissions: [{ resource_server_identifier: 'https://ec.example.com/', permission_name: 'read:ec' }] },
    ...rest,
  ])
  t.equal(checkTenant(tenant), undefined)
})

t.test('role names are unique', async (t) => {
  t.same(checkTenant(tenantWith({ roles: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] })), {
    path: 'roles[2].name',
    message: '"a" is already used by roles[0]',
  })
})

t.test('a role\'s permissions name an API in resource_servers and one of its scopes', async (t) => {
  t.same(checkTenant(tenantWith({ roles: [{ name: 'r', permissions: [read, { ...read, resource_server_identifier: 'https://nope.example.com/' }] }] })), {
    path: 'roles[0].permissions[1].resource_server_identifier',
    message: 'no resource server "https://nope.example.com/" in resource_servers',
  })
  t.same(checkTenant(tenantWith({ roles: [{ name: 'r', permissions: [{ ...read, permission_name: 'read:ec' }] }] })), {
    path: 'roles[0].permissions[0].permission_name',
    message: '"read:ec" is not a scope of resource server "appointments:api"',
  })
})

t.test('users name roles the config declares, and permissions of its APIs', async (t) => {
  t.same(checkTenant(tenantWith({ roles: [{ name: 'reader' }] }, ([alice, bob]) => [alice!, { ...bob!, roles: ['reader', 'writer'] }])), {
    path: 'users[1].roles[1]',
    message: 'no role "writer" in roles',
  })
  t.same(checkTenant(tenantWith({}, ([alice, bob]) => [{ ...alice!, roles: ['reader'] }, bob!])), {
    path: 'users[0].roles[0]',
    message: 'no role "reader" in roles',
  })
  t.same(checkTenant(tenantWith({}, ([alice, bob]) => [alice!, { ...bob!, permissions: [{ ...read, permission_name: 'fly' }] }])), {
    path: 'users[1].permissions[0].permission_name',
    message: '"fly" is not a scope of resource server "appointments:api"',
  })
  t.same(
    checkTenant(
      tenantWith({}, ([alice, bob]) => [alice!, { ...bob!, permissions: [{ resource_server_identifier: 'http://gatehouse.test/api/v2/', permission_name: 'read:users' }] }]),
      'http://gatehouse.test/',
    ),
    { path: 'users[1].permissions[0].resource_server_identifier', message: 'no resource server "http://gatehouse.test/api/v2/" in resource_servers' },
    'the Management API\'s scopes are for machines, through client grants',
  )
})

t.test('the shape of roles and of a user\'s roles and permissions', async (t) => {
  t.same(checkConfigFile({ roles: [{ name: 'r', permissions: [{ resource_server_identifier: 'a' }] }] }), {
    ok: false,
    issue: { path: 'roles[0].permissions[0]', message: 'missing required key "permission_name"' },
  })
  t.same(checkConfigFile({ roles: [{ name: 'r', users: [] }] }), {
    ok: false,
    issue: { path: 'roles[0]', message: 'unknown key "users"' },
  })
  t.same(checkConfigFile({ users: [{ user_id: 'u', password: 'p', roles: ['a', 'a'] }] }), {
    ok: false,
    issue: { path: 'users[0].roles', message: 'must not repeat a value (items 1 and 0 are equal)' },
  })
})
