// Who has which role, from both sides: a role's users (/roles/{id}/users) and a user's roles
// (/users/{id}/roles). A change shows on the user's next token.

import { assignRole, findRole, memberPrefix, unassignRole, type Membership, type Role } from '../rbac/assignments.js'
import type { StoredUser } from '../tenant/users.js'
import type { ManagementDeps } from './deps.js'
import { invalidQuery, userNotFound } from './errors.js'
import { pagedResponse, pageOf, type Page, type Paged, type PagingQuery } from './paging.js'
import { requireRole, roleNotFound, roleView, type RoleView } from './roles.js'
import { findUser } from './users.js'
import { bodyValidator, nonEmptyString, pagingProperties, queryValidator } from './validation.js'

/** A role's user as Auth0 lists one. */
export interface RoleUserView {
  user_id: string
  email?: string
  picture?: string
  name?: string
}

/** Checkpoint paging (Auth0's from/take): the users, and `next` while more follow. */
export interface CheckpointPage {
  users: RoleUserView[]
  next?: string
}

interface RoleUsersQuery extends PagingQuery {
  from?: string
  take?: number
}

const idList = (name: string) => ({
  type: 'object',
  additionalProperties: false,
  required: [name],
  properties: { [name]: { type: 'array', minItems: 1, items: nonEmptyString } },
})

const validateUsers = bodyValidator<{ users: string[] }>(idList('users'))
const validateRoles = bodyValidator<{ roles: string[] }>(idList('roles'))
const validateList = queryValidator<PagingQuery>({ type: 'object', additionalProperties: false, properties: pagingProperties })
const validateRoleUsers = queryValidator<RoleUsersQuery>({
  type: 'object',
  additionalProperties: false,
  properties: { ...pagingProperties, from: nonEmptyString, take: { type: 'integer', minimum: 1, maximum: 100 } },
})

function roleUserView(user: StoredUser): RoleUserView {
  const view: RoleUserView = { user_id: user.user_id }
  if (user.email !== undefined) view.email = user.email
  if (user.picture !== undefined) view.picture = user.picture
  if (user.name !== undefined) view.name = user.name
  return view
}

// A checkpoint is the offset of the next entry, opaque to callers as Auth0's is.
const checkpointOf = (offset: number) => Buffer.from(`offset:${offset}`, 'utf8').toString('base64url')

function offsetOf(from: string): number {
  const match = /^offset:(\d{1,9})$/.exec(Buffer.from(from, 'base64url').toString('utf8'))
  if (match === null || checkpointOf(Number(match[1])) !== from) {
    throw invalidQuery("Query validation error: 'Invalid checkpoint: use the next value of the previous page' on property from.")
  }
  return Number(match[1])
}

async function usersOf(deps: ManagementDeps, memberships: Membership[]): Promise<RoleUserView[]> {
  const users = await Promise.all(memberships.map((m) => deps.store.get<StoredUser>('user', m.user_id)))
  return users.filter((u) => u !== undefined).map(roleUserView)
}

/** GET /roles/{id}/users: in pages (page, per_page), or from a checkpoint (from, take). */
export async function listRoleUsers(deps: ManagementDeps, id: string, query: unknown): Promise<Paged<RoleUserView, 'users'> | CheckpointPage> {
  const q = validateRoleUsers(query)
  const role = await requireRole(deps, id)
  const prefix = memberPrefix(role.id)
  if (q.from !== undefined || q.take !== undefined) {
    const offset = q.from === undefined ? 0 : offsetOf(q.from)
    const take = q.take ?? 50
    // One more than asked says whether a next page exists.
    const memberships = await deps.store.list<Membership>('role_user', { prefix, offset, limit: take + 1 })
    const answer: CheckpointPage = { users: await usersOf(deps, memberships.slice(0, take)) }
    if (memberships.length > take) answer.next = checkpointOf(offset + take)
    return answer
  }
  const page: Page = pageOf(q)
  const memberships = await deps.store.list<Membership>('role_user', { prefix, offset: page.offset, limit: page.limit })
  return pagedResponse('users', page, await usersOf(deps, memberships), () => deps.store.count('role_user', prefix), { withLength: false })
}

/** POST /roles/{id}/users: every user must exist; none is given the role otherwise. */
export async function addRoleUsers(deps: ManagementDeps, id: string, body: unknown): Promise<void> {
  const { users } = validateUsers(body)
  const role = await requireRole(deps, id)
  const found = await Promise.all(users.map((userId) => deps.store.get<StoredUser>('user', userId)))
  if (found.some((u) => u === undefined)) throw userNotFound()
  for (const userId of new Set(users)) await assignRole(deps.store, { user_id: userId, role_id: role.id })
}

/** GET /users/{id}/roles */
export async function listUserRoles(deps: ManagementDeps, userId: string, query: unknown): Promise<Paged<RoleView, 'roles'>> {
  const page = pageOf(validateList(query))
  const user = await findUser(deps, userId)
  const prefix = memberPrefix(user.user_id)
  const memberships = await deps.store.list<Membership>('user_role', { prefix, offset: page.offset, limit: page.limit })
  const roles = await Promise.all(memberships.map((m) => findRole(deps.store, m.role_id)))
  const items = roles.filter((r): r is Role => r !== undefined).map(roleView)
  return pagedResponse('roles', page, items, () => deps.store.count('user_role', prefix), { withLength: false })
}

/** POST /users/{id}/roles: every role must exist; none is given otherwise. */
export async function addUserRoles(deps: ManagementDeps, userId: string, body: unknown): Promise<void> {
  const { roles } = validateRoles(body)
  const user = await findUser(deps, userId)
  const found = await Promise.all(roles.map((roleId) => findRole(deps.store, roleId)))
  if (found.some((r) => r === undefined)) throw roleNotFound()
  for (const roleId of new Set(roles)) await assignRole(deps.store, { user_id: user.user_id, role_id: roleId })
}

/** DELETE /users/{id}/roles: roles the user does not have are passed over. */
export async function removeUserRoles(deps: ManagementDeps, userId: string, body: unknown): Promise<void> {
  const { roles } = validateRoles(body)
  const user = await findUser(deps, userId)
  for (const roleId of new Set(roles)) await unassignRole(deps.store, { user_id: user.user_id, role_id: roleId })
}
