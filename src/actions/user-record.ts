// What post-login Actions read from and write to the user's record: role names, Auth0's login
// statistics (logins_count, last_login), and the metadata changes of api.user.* once the flow ends.
import { findRole, roleIdsOf } from '../rbac/assignments.js'
import type { Store } from '../store/store.js'
import { saveUser, type StoredUser } from '../tenant/users.js'

type Metadata = Record<string, unknown>

/** A user record with Auth0's login statistics. */
export interface UserWithLogins extends StoredUser {
  logins_count?: number
  /** ISO 8601: when the last counted login happened */
  last_login?: string
}

/** Changes to app_metadata and user_metadata, in Auth0's sense: a null value removes the property. */
export interface MetadataChanges {
  app_metadata: Metadata
  user_metadata: Metadata
}

export const noMetadataChanges = (): MetadataChanges => ({ app_metadata: {}, user_metadata: {} })

const hasChanges = (changes: MetadataChanges) =>
  Object.keys(changes.app_metadata).length > 0 || Object.keys(changes.user_metadata).length > 0

/** The names of the user's roles (event.authorization.roles), sorted. */
export async function roleNamesOf(store: Store, userId: string): Promise<string[]> {
  const roles = await Promise.all((await roleIdsOf(store, userId)).map((id) => findRole(store, id)))
  return roles.flatMap((role) => (role === undefined ? [] : [role.name])).sort()
}

/**
 * Counts a login: each password grant, and a browser session that started after the last counted
 * login (so silent authentication with the same session, or a resumed login, counts nothing).
 */
export async function countLogin(store: Store, user: UserWithLogins, at: { ms: number; always: boolean }): Promise<UserWithLogins> {
  const last = user.last_login === undefined ? undefined : Date.parse(user.last_login)
  if (!at.always && last !== undefined && at.ms <= last) return user
  const counted: UserWithLogins = { ...user, logins_count: (user.logins_count ?? 0) + 1, last_login: new Date(at.ms).toISOString() }
  await saveUser(store, counted)
  return counted
}

/** The metadata as an Action later in the flow sees it, with the changes so far applied. */
export function withChanges(user: StoredUser, changes: MetadataChanges): StoredUser {
  if (!hasChanges(changes)) return user
  return {
    ...user,
    app_metadata: merged(user.app_metadata, changes.app_metadata),
    user_metadata: merged(user.user_metadata, changes.user_metadata),
  }
}

/** Writes the flow's metadata changes to the user record, read afresh so other changes are kept. */
export async function saveMetadataChanges(store: Store, userId: string, changes: MetadataChanges, nowMs: number): Promise<void> {
  if (!hasChanges(changes)) return
  const user = await store.get<StoredUser>('user', userId)
  if (user === undefined) return
  await saveUser(store, { ...withChanges(user, changes), updated_at: new Date(nowMs).toISOString() } as StoredUser)
}

function merged(current: Metadata | undefined, changes: Metadata): Metadata {
  const result: Metadata = { ...current }
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete result[name]
    else result[name] = value
  }
  return result
}
