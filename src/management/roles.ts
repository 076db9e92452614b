// RBAC roles (Auth0's /api/v2/roles): named sets of permissions given to users. Role names are unique;
// ids look like Auth0's (rol_ and 16 letters and digits).

import {
  addRole,
  deleteRole as deleteRoleAndAssignments,
  findRole,
  replaceRole,
  type Role,
} from '../rbac/assignments.js'
import { filteredPage, type ManagementDeps } from './deps.js'
import { conflict, ManagementError } from './errors.js'
import { pagedResponse, pageOf, type Paged, type PagingQuery } from './paging.js'
import { bodyValidator, nonEmptyString, pagingProperties, queryValidator, string } from './validation.js'

export type RoleView = Role

interface CreateBody {
  name: string
  description?: string
}

const validateCreate = bodyValidator<CreateBody>({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: { name: nonEmptyString, description: string },
})

const validateUpdate = bodyValidator<Partial<CreateBody>>({
  type: 'object',
  additionalProperties: false,
  properties: { name: nonEmptyString, description: string },
})

const validateList = queryValidator<PagingQuery & { name_filter?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { ...pagingProperties, name_filter: string },
})

/** Auth0's answer for a role id that names no role (it has no errorCode). */
export const roleNotFound = () => new ManagementError(404, 'The role does not exist.')
const roleExists = () => conflict('A role with the same name already exists', 'role_conflict')

const ID_LENGTH = 16

/** rol_ and 16 letters and digits, as Auth0 makes them. */
function newRoleId(deps: ManagementDeps): string {
  let chars = ''
  while (chars.length < ID_LENGTH) chars += deps.newId(24).replace(/[^A-Za-z0-9]/g, '')
  return `rol_${chars.slice(0, ID_LENGTH)}`
}

export function roleView(role: Role): RoleView {
  const view: RoleView = { id: role.id, name: role.name }
  if (role.description !== undefined) view.description = role.description
  return view
}

/** The role this id names, or Auth0's 404. */
export async function requireRole(deps: ManagementDeps, id: string): Promise<Role> {
  const role = await findRole(deps.store, id)
  if (role === undefined) throw roleNotFound()
  return role
}

/** POST /roles */
export async function createRole(deps: ManagementDeps, body: unknown): Promise<RoleView> {
  const input = validateCreate(body)
  const role: Role = { id: newRoleId(deps), name: input.name }
  if (input.description !== undefined) role.description = input.description
  if (!(await addRole(deps.store, role))) throw roleExists()
  return roleView(role)
}

/** GET /roles/{id} */
export async function getRole(deps: ManagementDeps, id: string): Promise<RoleView> {
  return roleView(await requireRole(deps, id))
}

/** GET /roles: in id order, in pages; name_filter keeps the names that contain it, without case. */
export async function listRoles(deps: ManagementDeps, query: unknown): Promise<Paged<RoleView, 'roles'>> {
  const q = validateList(query)
  const page = pageOf(q)
  const filter = q.name_filter?.toLowerCase() ?? ''
  if (filter === '') {
    const roles = await deps.store.list<Role>('role', { offset: page.offset, limit: page.limit })
    return pagedResponse('roles', page, roles.map(roleView), () => deps.store.count('role'), { withLength: false })
  }
  const { items, total } = await filteredPage<Role>(
    deps.store,
    'role',
    { offset: page.offset, limit: page.limit, countAll: page.includeTotals },
    (role) => role.name.toLowerCase().includes(filter),
  )
  return pagedResponse('roles', page, items.map(roleView), async () => total, { withLength: false })
}

/** PATCH /roles/{id}: a new name must be free. */
export async function updateRole(deps: ManagementDeps, id: string, body: unknown): Promise<RoleView> {
  const input = validateUpdate(body)
  const previous = await requireRole(deps, id)
  const role: Role = { ...previous }
  if (input.name !== undefined) role.name = input.name
  if (input.description !== undefined) role.description = input.description
  if (!(await replaceRole(deps.store, role, previous))) throw roleExists()
  return roleView(role)
}

/** DELETE /roles/{id}: the role, its permissions, and its place in every user's roles. */
export async function deleteRole(deps: ManagementDeps, id: string): Promise<void> {
  await deleteRoleAndAssignments(deps.store, await requireRole(deps, id))
}
