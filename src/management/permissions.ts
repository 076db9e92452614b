// Permissions, an API's scopes given to a role (/roles/{id}/permissions) or to a user directly
// (/users/{id}/permissions). A user's list also shows what their roles give, with Auth0's `sources`.

import type { Permission, ResourceServer } from '../config/types.js'
import {
  addRolePermission,
  addUserPermission,
  findRole,
  permissionPrefix,
  removeRolePermission,
  removeUserPermission,
  roleIdsOf,
  type RolePermission,
  type UserPermission,
} from '../rbac/assignments.js'
import type { ManagementDeps } from './deps.js'
import { badRequest } from './errors.js'
import { pagedResponse, pageOf, type Paged, type PagingQuery } from './paging.js'
import { requireRole } from './roles.js'
import { findUser } from './users.js'
import { bodyValidator, nonEmptyString, pagingProperties, queryValidator } from './validation.js'

/** A permission as Auth0 shows one, with its API's name and the scope's description. */
export interface PermissionView {
  permission_name: string
  description: string
  resource_server_name: string
  resource_server_identifier: string
}

/** Where a user's permission comes from: given directly, or through a role. */
export interface PermissionSource {
  source_id: string
  source_name: string
  source_type: 'DIRECT' | 'ROLE'
}

export interface UserPermissionView extends PermissionView {
  sources: PermissionSource[]
}

const validateBody = bodyValidator<{ permissions: Permission[] }>({
  type: 'object',
  additionalProperties: false,
  required: ['permissions'],
  properties: {
    permissions: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['resource_server_identifier', 'permission_name'],
        properties: { resource_server_identifier: nonEmptyString, permission_name: nonEmptyString },
      },
    },
  },
})

const validateList = queryValidator<PagingQuery>({ type: 'object', additionalProperties: false, properties: pagingProperties })

/** Reads each API once per request. */
function apiReader(deps: ManagementDeps): (identifier: string) => Promise<ResourceServer | undefined> {
  const apis = new Map<string, Promise<ResourceServer | undefined>>()
  return (identifier) => {
    let api = apis.get(identifier)
    if (api === undefined) {
      api = deps.store.get<ResourceServer>('resource_server', identifier)
      apis.set(identifier, api)
    }
    return api
  }
}

/** 400 unless every permission is a scope of one of the tenant's APIs. */
async function checkPermissions(deps: ManagementDeps, permissions: readonly Permission[]): Promise<void> {
  const namesByApi = new Map<string, Set<string>>()
  for (const p of permissions) {
    const names = namesByApi.get(p.resource_server_identifier) ?? new Set()
    namesByApi.set(p.resource_server_identifier, names.add(p.permission_name))
  }
  for (const [identifier, names] of namesByApi) {
    const api = await deps.store.get<ResourceServer>('resource_server', identifier)
    if (api === undefined) throw badRequest(`The resource server does not exist: ${identifier}`)
    const unknown = [...names].filter((name) => !api.scopes.some((s) => s.value === name))
    if (unknown.length > 0) throw badRequest(`permissions not defined by ${identifier}: ${unknown.join(', ')}`)
  }
}

async function viewsOf(deps: ManagementDeps, permissions: readonly Permission[]): Promise<PermissionView[]> {
  const apiOf = apiReader(deps)
  return Promise.all(
    permissions.map(async (p) => {
      const api = await apiOf(p.resource_server_identifier)
      return {
        permission_name: p.permission_name,
        description: api?.scopes.find((s) => s.value === p.permission_name)?.description ?? '',
        resource_server_name: api?.name ?? p.resource_server_identifier,
        resource_server_identifier: p.resource_server_identifier,
      }
    }),
  )
}

const onlyNames = ({ resource_server_identifier, permission_name }: Permission): Permission => ({
  resource_server_identifier,
  permission_name,
})

/** GET /roles/{id}/permissions */
export async function listRolePermissions(deps: ManagementDeps, id: string, query: unknown): Promise<Paged<PermissionView, 'permissions'>> {
  const page = pageOf(validateList(query))
  const role = await requireRole(deps, id)
  const prefix = permissionPrefix(role.id)
  const stored = await deps.store.list<RolePermission>('role_permission', { prefix, offset: page.offset, limit: page.limit })
  return pagedResponse('permissions', page, await viewsOf(deps, stored), () => deps.store.count('role_permission', prefix), {
    withLength: false,
  })
}

/** POST /roles/{id}/permissions: every user of the role has them on their next token. */
export async function addRolePermissions(deps: ManagementDeps, id: string, body: unknown): Promise<void> {
  const { permissions } = validateBody(body)
  const role = await requireRole(deps, id)
  await checkPermissions(deps, permissions)
  for (const p of permissions) await addRolePermission(deps.store, { role_id: role.id, ...onlyNames(p) })
}

/** DELETE /roles/{id}/permissions */
export async function removeRolePermissions(deps: ManagementDeps, id: string, body: unknown): Promise<void> {
  const { permissions } = validateBody(body)
  const role = await requireRole(deps, id)
  for (const p of permissions) await removeRolePermission(deps.store, { role_id: role.id, ...onlyNames(p) })
}

const permissionKey = (p: Permission) => JSON.stringify([p.resource_server_identifier, p.permission_name])
const DIRECT: PermissionSource = { source_id: '', source_name: '', source_type: 'DIRECT' }

/** Every permission the user has, each once, with where it comes from; by API, then name. */
async function effectivePermissions(deps: ManagementDeps, userId: string): Promise<{ permission: Permission; sources: PermissionSource[] }[]> {
  const merged = new Map<string, { permission: Permission; sources: PermissionSource[] }>()
  const add = (p: Permission, source: PermissionSource) => {
    const key = permissionKey(p)
    const entry = merged.get(key) ?? { permission: onlyNames(p), sources: [] }
    entry.sources.push(source)
    merged.set(key, entry)
  }
  const direct = await deps.store.list<UserPermission>('user_permission', { prefix: permissionPrefix(userId) })
  for (const p of direct) add(p, DIRECT)
  for (const roleId of await roleIdsOf(deps.store, userId)) {
    const role = await findRole(deps.store, roleId)
    if (role === undefined) continue
    const given = await deps.store.list<RolePermission>('role_permission', { prefix: permissionPrefix(roleId) })
    for (const p of given) add(p, { source_id: role.id, source_name: role.name, source_type: 'ROLE' })
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry)
}

/** GET /users/{id}/permissions: direct ones and those the user's roles give. */
export async function listUserPermissions(deps: ManagementDeps, userId: string, query: unknown): Promise<Paged<UserPermissionView, 'permissions'>> {
  const page = pageOf(validateList(query))
  const user = await findUser(deps, userId)
  const all = await effectivePermissions(deps, user.user_id)
  const slice = all.slice(page.offset, page.offset + page.limit)
  const views = await viewsOf(deps, slice.map((e) => e.permission))
  const items = views.map((view, i) => ({ ...view, sources: slice[i]!.sources }))
  return pagedResponse('permissions', page, items, async () => all.length, { withLength: false })
}

/** POST /users/{id}/permissions: on the user's next token. */
export async function addUserPermissions(deps: ManagementDeps, userId: string, body: unknown): Promise<void> {
  const { permissions } = validateBody(body)
  const user = await findUser(deps, userId)
  await checkPermissions(deps, permissions)
  for (const p of permissions) await addUserPermission(deps.store, { user_id: user.user_id, ...onlyNames(p) })
}

/** DELETE /users/{id}/permissions: direct ones only; what a role gives stays while the user has the role. */
export async function removeUserPermissions(deps: ManagementDeps, userId: string, body: unknown): Promise<void> {
  const { permissions } = validateBody(body)
  const user = await findUser(deps, userId)
  for (const p of permissions) await removeUserPermission(deps.store, { user_id: user.user_id, ...onlyNames(p) })
}
