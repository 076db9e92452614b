// The config file's RBAC at start: `roles` with their permissions, and users[].roles / users[].permissions.
// As for the rest of the tenant, the file wins for what it names, what an earlier file named and this
// one drops is deleted, and what was made at runtime (roles, assignments) is kept.

import { createHash } from 'node:crypto'
import type { Tenant } from '../config/types.js'
import {
  addRolePermission,
  addUserPermission,
  assignRole,
  claimRoleName,
  deleteRole,
  findRole,
  findRoleByName,
  rolePermissionId,
  unassignRole,
  userPermissionId,
  userRoleId,
  type Membership,
  type Role,
  type RolePermission,
  type UserPermission,
} from '../rbac/assignments.js'
import type { Store } from '../store/store.js'

/** The store ids of the RBAC entries a config file named. */
export interface SeededAccess {
  roles: string[]
  role_permissions: string[]
  user_roles: string[]
  user_permissions: string[]
}

/**
 * A config role's id, made from its name: the same after every restart and on every replica, so
 * assignments kept in a persistent store still name it.
 */
export const configRoleId = (name: string): string =>
  `rol_${createHash('sha256').update(`gatehouse role ${name}`, 'utf8').digest('hex').slice(0, 16)}`

/** Puts each config role in the store; a role of that name made earlier (at runtime too) keeps its id. */
async function seedRoles(store: Store, tenant: Tenant): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  for (const input of tenant.roles ?? []) {
    const id = (await findRoleByName(store, input.name))?.id ?? configRoleId(input.name)
    // Replicas starting together make the same id, so claiming the name cannot fail between them.
    await claimRoleName(store, input.name, id)
    const role: Role = { id, name: input.name }
    if (input.description !== undefined) role.description = input.description
    await store.set('role', id, role)
    ids.set(input.name, id)
  }
  return ids
}

/** The config's assignments, under the role ids just seeded. */
function assignmentsOf(tenant: Tenant, roleIds: ReadonlyMap<string, string>) {
  const rolePermissions: RolePermission[] = []
  for (const role of tenant.roles ?? []) {
    const role_id = roleIds.get(role.name)!
    for (const p of role.permissions ?? []) {
      rolePermissions.push({ role_id, resource_server_identifier: p.resource_server_identifier, permission_name: p.permission_name })
    }
  }
  const memberships: Membership[] = []
  const userPermissions: UserPermission[] = []
  for (const user of tenant.users) {
    // checkTenant made sure every name is a config role
    for (const name of user.roles ?? []) memberships.push({ user_id: user.user_id, role_id: roleIds.get(name)! })
    for (const p of user.permissions ?? []) {
      userPermissions.push({ user_id: user.user_id, resource_server_identifier: p.resource_server_identifier, permission_name: p.permission_name })
    }
  }
  return { rolePermissions, memberships, userPermissions }
}

const droppedFrom = (previous: readonly string[] | undefined, current: readonly string[]) => {
  const kept = new Set(current)
  return (previous ?? []).filter((id) => !kept.has(id))
}

/** Seeds the config's roles and assignments; returns what it named, for the next start. */
export async function seedAccess(store: Store, tenant: Tenant, previous: Partial<SeededAccess> | undefined): Promise<SeededAccess> {
  const roleIds = await seedRoles(store, tenant)
  const { rolePermissions, memberships, userPermissions } = assignmentsOf(tenant, roleIds)
  const current: SeededAccess = {
    roles: [...roleIds.values()],
    role_permissions: rolePermissions.map(rolePermissionId),
    user_roles: memberships.map(userRoleId),
    user_permissions: userPermissions.map(userPermissionId),
  }

  for (const id of droppedFrom(previous?.role_permissions, current.role_permissions)) await store.delete('role_permission', id)
  for (const id of droppedFrom(previous?.user_roles, current.user_roles)) {
    const [user_id, role_id] = JSON.parse(id) as [string, string]
    await unassignRole(store, { user_id, role_id })
  }
  for (const id of droppedFrom(previous?.user_permissions, current.user_permissions)) await store.delete('user_permission', id)
  for (const id of droppedFrom(previous?.roles, current.roles)) {
    const role = await findRole(store, id)
    if (role !== undefined) await deleteRole(store, role)
  }

  for (const p of rolePermissions) await addRolePermission(store, p)
  for (const m of memberships) await assignRole(store, m)
  for (const p of userPermissions) await addUserPermission(store, p)
  return current
}
