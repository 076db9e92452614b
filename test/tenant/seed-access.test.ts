// The config's roles and assignments at start: stable role ids, the file wins for what it names, what an
// earlier file named and this one drops is deleted, what was made at runtime is kept.
import t, { type Test } from 'tap'
import type { Tenant } from '../../src/config/types.js'
import { addRole, assignRole, addUserPermission, permissionsAt, roleIdsOf, findRoleByName } from '../../src/rbac/assignments.js'
import { createMemoryStore } from '../../src/store/index.js'
import { configRoleId } from '../../src/tenant/seed-access.js'
import { seedTenant } from '../../src/tenant/seed.js'
import { testTenant } from '../helpers/tenant.js'

const opts = { newId: () => 'generated', log: () => {} }
const API = 'appointments:api'
const perm = (permission_name: string) => ({ resource_server_identifier: API, permission_name })

function rbacTenant(): Tenant {
  const tenant = testTenant()
  tenant.roles = [
    { name: 'reader', description: 'Reads', permissions: [perm('read:appointments')] },
    { name: 'writer', permissions: [perm('write:appointments')] },
  ]
  tenant.users = tenant.users.map((u) =>
    u.user_id === 'auth0|alice' ? { ...u, roles: ['reader', 'writer'], permissions: [perm('read:appointments')] } : u,
  )
  return tenant
}

function storeFor(t: Test) {
  const store = createMemoryStore()
  t.teardown(() => store.close())
  return store
}

t.test('config roles get ids made from their names; assignments are entries of their own', async (t) => {
  const store = storeFor(t)
  await seedTenant(store, rbacTenant(), opts)
  const reader = configRoleId('reader')
  t.match(reader, /^rol_[0-9a-f]{16}$/)
  t.strictSame(await store.get('role', reader), { id: reader, name: 'reader', description: 'Reads' })
  t.strictSame((await findRoleByName(store, 'writer'))?.id, configRoleId('writer'))
  t.strictSame((await roleIdsOf(store, 'auth0|alice')).sort(), [reader, configRoleId('writer')].sort())
  t.strictSame(await permissionsAt(store, 'auth0|alice', API), ['read:appointments', 'write:appointments'])
  const record = await store.get<Record<string, unknown>>('user', 'auth0|alice')
  t.notOk('roles' in record! || 'permissions' in record!, 'the user record holds no roles or permissions')

  await seedTenant(store, rbacTenant(), opts)
  t.equal(await store.count('role'), 2, 'a restart makes no second role')
  t.equal(await store.count('user_role'), 2)
  t.equal(await store.count('role_permission'), 2)
})

t.test('what an earlier config named and this one drops is deleted; what was made at runtime is kept', async (t) => {
  const store = storeFor(t)
  await seedTenant(store, rbacTenant(), opts)
  const runtime = { id: 'rol_runtime000000000', name: 'runtime' }
  await addRole(store, runtime)
  await assignRole(store, { user_id: 'auth0|alice', role_id: runtime.id })
  await assignRole(store, { user_id: 'auth0|bob', role_id: configRoleId('reader') })
  await addUserPermission(store, { user_id: 'auth0|bob', ...perm('write:appointments') })

  const next = rbacTenant()
  next.roles = next.roles!.filter((r) => r.name !== 'writer')
  next.roles[0]!.permissions = []
  next.users = next.users.map((u) => (u.user_id === 'auth0|alice' ? { ...u, roles: ['reader'], permissions: [] } : u))
  await seedTenant(store, next, opts)

  t.equal(await store.get('role', configRoleId('writer')), undefined, 'the dropped role is gone')
  t.equal(await findRoleByName(store, 'writer'), undefined)
  t.strictSame((await roleIdsOf(store, 'auth0|alice')).sort(), [configRoleId('reader'), runtime.id].sort())
  t.strictSame(await permissionsAt(store, 'auth0|alice', API), [], 'dropped permissions are gone, of the role and of the user')
  t.strictSame(await store.get('role', runtime.id), runtime, 'a role made at runtime stays')
  t.strictSame(await roleIdsOf(store, 'auth0|bob'), [configRoleId('reader')], 'and so do assignments made at runtime')
  t.strictSame(await permissionsAt(store, 'auth0|bob', API), ['write:appointments'])

  const noAlice = { ...next, users: next.users.filter((u) => u.user_id !== 'auth0|alice') }
  await seedTenant(store, noAlice, opts)
  t.strictSame(await roleIdsOf(store, 'auth0|alice'), [], 'a dropped user takes their roles along')
  t.strictSame(await store.list('role_user', { prefix: JSON.stringify([runtime.id]).slice(0, -1) }), [])
})

t.test('a config role named like one made earlier at runtime takes that role over, id and users included', async (t) => {
  const store = storeFor(t)
  const made = { id: 'rol_madeatruntime000', name: 'reader' }
  await addRole(store, made)
  await assignRole(store, { user_id: 'auth0|bob', role_id: made.id })
  await seedTenant(store, rbacTenant(), opts)
  t.strictSame(await store.get('role', made.id), { id: made.id, name: 'reader', description: 'Reads' })
  t.equal(await store.get('role', configRoleId('reader')), undefined)
  t.strictSame(await permissionsAt(store, 'auth0|bob', API), ['read:appointments'])
  t.strictSame(await permissionsAt(store, 'auth0|alice', API), ['read:appointments', 'write:appointments'])
})
