// RBAC data in the store: roles, their permissions, who has which role, and permissions given to
// users directly. Every assignment is its own entry, keyed by its owner first (a JSON array, since
// user ids hold "|"), so one owner's entries are an id prefix: listed and counted without scans,
// and two requests changing one user's roles never overwrite each other's.

import { eachEntry } from '../management/deps.js'
import type { Permission } from '../config/types.js'
import type { Kind, Store } from '../store/store.js'

/** A role as Auth0 shows one. */
export interface Role {
  id: string
  name: string
  description?: string
}

export interface RolePermission extends Permission {
  role_id: string
}

export interface UserPermission extends Permission {
  user_id: string
}

export interface Membership {
  user_id: string
  role_id: string
}

const key = (...parts: string[]) => JSON.stringify(parts)
/** the ids that start with these parts: the array's text up to them, and the comma after */
const prefixOf = (...parts: string[]) => `${key(...parts).slice(0, -1)},`

export const rolePermissionId = (p: RolePermission) => key(p.role_id, p.resource_server_identifier, p.permission_name)
export const userPermissionId = (p: UserPermission) => key(p.user_id, p.resource_server_identifier, p.permission_name)
export const userRoleId = (m: Membership) => key(m.user_id, m.role_id)
export const roleUserId = (m: Membership) => key(m.role_id, m.user_id)

/** The id prefix of a role's or a user's permissions, optionally for one API only. */
export const permissionPrefix = (owner: string, api?: string) => (api === undefined ? prefixOf(owner) : prefixOf(owner, api))
/** The id prefix of a user's roles (user_role) or of a role's users (role_user). */
export const memberPrefix = (owner: string) => prefixOf(owner)

export const findRole = (store: Store, id: string) => store.get<Role>('role', id)

export async function findRoleByName(store: Store, name: string): Promise<Role | undefined> {
  const id = await store.get<string>('role_name', name)
  const role = id === undefined ? undefined : await findRole(store, id)
  return role?.name === name ? role : undefined
}

/**
 * Claims the name for the role: false when another live role has it. A name left behind by a role
 * that no longer exists is taken over.
 */
export async function claimRoleName(store: Store, name: string, roleId: string): Promise<boolean> {
  if (await store.add('role_name', name, roleId)) return true
  const owner = await store.get<string>('role_name', name)
  if (owner === roleId) return true
  if (owner !== undefined && (await findRole(store, owner))?.name === name) return false
  await store.set('role_name', name, roleId)
  return true
}

/** Gives the name back, unless another role has claimed it since. */
export async function releaseRoleName(store: Store, name: string, roleId: string): Promise<void> {
  if ((await store.get<string>('role_name', name)) === roleId) await store.delete('role_name', name)
}

/** Creates the role when its name is free; false when another role has it. */
export async function addRole(store: Store, role: Role): Promise<boolean> {
  if (!(await claimRoleName(store, role.name, role.id))) return false
  await store.set('role', role.id, role)
  return true
}

/** Replaces a role (a new name must be free); false when another role has the name. */
export async function replaceRole(store: Store, role: Role, previous: Role): Promise<boolean> {
  const renamed = role.name !== previous.name
  if (renamed && !(await claimRoleName(store, role.name, role.id))) return false
  await store.set('role', role.id, role)
  if (renamed) await releaseRoleName(store, previous.name, role.id)
  return true
}

/** Deletes every entry of a kind under an id prefix, a batch at a time. */
async function deleteUnder<T>(store: Store, kind: Kind, prefix: string, idOf: (value: T) => string, also?: (value: T) => Promise<void>) {
  for (;;) {
    const batch = await store.list<T>(kind, { prefix, limit: 100 })
    if (batch.length === 0) return
    for (const value of batch) {
      await also?.(value)
      await store.delete(kind, idOf(value))
    }
  }
}

/** Deletes the role, its permissions and its place in every user's roles. */
export async function deleteRole(store: Store, role: Role): Promise<void> {
  await store.delete('role', role.id)
  await releaseRoleName(store, role.name, role.id)
  await deleteUnder<RolePermission>(store, 'role_permission', permissionPrefix(role.id), rolePermissionId)
  await deleteUnder<Membership>(store, 'role_user', memberPrefix(role.id), roleUserId, (m) => store.delete('user_role', userRoleId(m)))
}

/** Deletes a user's roles and direct permissions (the user record itself is tenant/users.ts's). */
export async function deleteUserAccess(store: Store, userId: string): Promise<void> {
  await deleteUnder<Membership>(store, 'user_role', memberPrefix(userId), userRoleId, (m) => store.delete('role_user', roleUserId(m)))
  await deleteUnder<UserPermission>(store, 'user_permission', permissionPrefix(userId), userPermissionId)
}

export async function assignRole(store: Store, membership: Membership): Promise<void> {
  // The reverse entry first: a role's user list may briefly name a user who has not the role yet, never the other way round.
  await store.set('role_user', roleUserId(membership), membership)
  await store.set('user_role', userRoleId(membership), membership)
}

export async function unassignRole(store: Store, membership: Membership): Promise<void> {
  await store.delete('user_role', userRoleId(membership))
  await store.delete('role_user', roleUserId(membership))
}

export const addRolePermission = (store: Store, p: RolePermission) => store.set('role_permission', rolePermissionId(p), p)
export const removeRolePermission = (store: Store, p: RolePermission) => store.delete('role_permission', rolePermissionId(p))
export const addUserPermission = (store: Store, p: UserPermission) => store.set('user_permission', userPermissionId(p), p)
export const removeUserPermission = (store: Store, p: UserPermission) => store.delete('user_permission', userPermissionId(p))

/** The ids of a user's roles. */
export async function roleIdsOf(store: Store, userId: string): Promise<string[]> {
  const memberships = await store.list<Membership>('user_role', { prefix: memberPrefix(userId) })
  return memberships.map((m) => m.role_id)
}

/**
 * What a user may do at one API: the permission names given directly and through roles, each once,
 * sorted. The token endpoint's hot path: one prefix read for the roles, then one per role and one for
 * the direct permissions, in parallel.
 */
export async function permissionsAt(store: Store, userId: string, api: string): Promise<string[]> {
  const [roleIds, direct] = await Promise.all([
    roleIdsOf(store, userId),
    store.list<UserPermission>('user_permission', { prefix: permissionPrefix(userId, api) }),
  ])
  const viaRoles = await Promise.all(
    roleIds.map((roleId) => store.list<RolePermission>('role_permission', { prefix: permissionPrefix(roleId, api) })),
  )
  const names = new Set<string>()
  for (const p of direct) names.add(p.permission_name)
  for (const list of viaRoles) for (const p of list) names.add(p.permission_name)
  return [...names].sort()
}

/** Ids of the entries of a kind that match (a scan: for rare administrative changes). */
async function idsWhere<T>(store: Store, kind: Kind, matches: (value: T) => boolean, idOf: (value: T) => string): Promise<string[]> {
  const ids: string[] = []
  for await (const value of eachEntry<T>(store, kind)) if (matches(value)) ids.push(idOf(value))
  return ids
}

/**
 * Takes an API's permissions (or only the ones named) away from every role and user: for an API
 * deleted, or scopes it no longer defines.
 */
export async function forgetPermissions(store: Store, api: string, names?: readonly string[]): Promise<void> {
  const matches = (p: Permission) => p.resource_server_identifier === api && (names === undefined || names.includes(p.permission_name))
  for (const id of await idsWhere<RolePermission>(store, 'role_permission', matches, rolePermissionId)) await store.delete('role_permission', id)
  for (const id of await idsWhere<UserPermission>(store, 'user_permission', matches, userPermissionId)) await store.delete('user_permission', id)
}
