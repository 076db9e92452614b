import { createHash, timingSafeEqual } from 'node:crypto'
import type { User } from '../config/types.js'
import { UserBlocked } from '../errors/oauth-errors.js'
import { deleteGrantsOf } from '../management/grants.js'
import { deleteUserAccess } from '../rbac/assignments.js'
import type { Store } from '../store/store.js'

// Users are found by username or email through small index entries, never by scanning.
const emailKey = (email: string) => `email:${email.toLowerCase()}`
const usernameKey = (username: string) => `username:${username.toLowerCase()}`

const lookupKeys = (user: User | undefined): string[] => [
  ...(user?.email ? [emailKey(user.email)] : []),
  ...(user?.username ? [usernameKey(user.username)] : []),
]

/**
 * A user as the store keeps it: the config file's fields, and what the Management API adds (Auth0's
 * names). Only Gatehouse reads `password`; nothing answers with it.
 */
export interface StoredUser extends User {
  /** blocked by an administrator: refused at every login (Auth0's `unauthorized`, "user is blocked") */
  blocked?: boolean
  app_metadata?: Record<string, unknown>
  user_metadata?: Record<string, unknown>
  /** ISO 8601; absent for users from the config file */
  created_at?: string
  updated_at?: string
}

/** Auth0's answer to a blocked user's login. */
export const USER_BLOCKED_MESSAGE = 'user is blocked'

export const isBlocked = (user: User): boolean => (user as StoredUser).blocked === true

/** Auth0 refuses a blocked user on every way in that issues tokens: `unauthorized`, "user is blocked". */
export function refuseIfBlocked(user: User): void {
  if (isBlocked(user)) throw new UserBlocked(USER_BLOCKED_MESSAGE)
}

/**
 * Makes the email or username find this user, unless it finds another user now: whoever claims it
 * first wins, across replicas. A look-up left behind by a user who no longer exists is taken over.
 */
async function claim(store: Store, key: string, userId: string): Promise<boolean> {
  if (await store.add('user_lookup', key, userId)) return true
  const owner = await store.get<string>('user_lookup', key)
  if (owner === userId) return true
  if (owner !== undefined && (await store.get<User>('user', owner)) !== undefined) return false
  await store.set('user_lookup', key, userId)
  return true
}

/** Claims every look-up of the user, or none of them: false when another user has the email or username. */
async function claimAll(store: Store, user: User, previous: User | undefined): Promise<boolean> {
  const owned = new Set(lookupKeys(previous))
  const claimed: string[] = []
  for (const key of lookupKeys(user)) {
    if (owned.has(key)) continue
    if (!(await claim(store, key, user.user_id))) {
      for (const done of claimed) await store.delete('user_lookup', done)
      return false
    }
    claimed.push(key)
  }
  return true
}

/** Creates the user when its user_id, email and username are all free; false when one is taken. */
export async function addUser(store: Store, user: StoredUser): Promise<boolean> {
  if ((await store.get<User>('user', user.user_id)) !== undefined) return false
  if (!(await claimAll(store, user, undefined))) return false
  if (await store.add('user', user.user_id, user)) return true
  // Another request created the same user_id meanwhile: give back what this one claimed.
  for (const key of lookupKeys(user)) {
    if ((await store.get<string>('user_lookup', key)) === user.user_id) await store.delete('user_lookup', key)
  }
  return false
}

/** Replaces an existing user; false when the new email or username belongs to another user. */
export async function replaceUser(store: Store, user: StoredUser, previous: StoredUser): Promise<boolean> {
  if (!(await claimAll(store, user, previous))) return false
  await saveUser(store, user)
  return true
}

/** The user with this email address (compared without case), if any. */
export async function findUserByEmail(store: Store, email: string): Promise<StoredUser | undefined> {
  const userId = await store.get<string>('user_lookup', emailKey(email))
  const user = userId === undefined ? undefined : await store.get<StoredUser>('user', userId)
  return user?.email?.toLowerCase() === email.toLowerCase() ? user : undefined
}

/** The user with this username (compared without case), if any. */
export async function findUserByUsername(store: Store, username: string): Promise<StoredUser | undefined> {
  const userId = await store.get<string>('user_lookup', usernameKey(username))
  const user = userId === undefined ? undefined : await store.get<StoredUser>('user', userId)
  return user?.username?.toLowerCase() === username.toLowerCase() ? user : undefined
}

export async function saveUser(store: Store, user: User): Promise<void> {
  const previous = await store.get<User>('user', user.user_id)
  await store.set('user', user.user_id, user)
  // An email or username the user no longer has must stop finding them.
  const current = new Set(lookupKeys(user))
  for (const key of lookupKeys(previous)) {
    if (!current.has(key) && (await store.get<string>('user_lookup', key)) === user.user_id) await store.delete('user_lookup', key)
  }
  if (user.email) await store.set('user_lookup', emailKey(user.email), user.user_id)
  if (user.username) await store.set('user_lookup', usernameKey(user.username), user.user_id)
}

/**
 * Deletes the user and all that is theirs: the look-ups that find them, their consents, their roles
 * and direct permissions. Every way a user is deleted (Management API, a config that drops them) comes here.
 */
export async function deleteUser(store: Store, userId: string): Promise<void> {
  const user = await store.get<User>('user', userId)
  await store.delete('user', userId)
  for (const key of lookupKeys(user)) {
    if ((await store.get<string>('user_lookup', key)) === userId) await store.delete('user_lookup', key)
  }
  await deleteGrantsOf(store, userId)
  await deleteUserAccess(store, userId)
}

/** The login form's "username" accepts a username or an email address. */
export async function findUserByLogin(store: Store, login: string): Promise<User | undefined> {
  const key = login.includes('@') ? emailKey(login) : usernameKey(login)
  const userId = await store.get<string>('user_lookup', key)
  return userId === undefined ? undefined : store.get<User>('user', userId)
}

const digest = (value: string) => createHash('sha256').update(value).digest()

/** Constant-time comparison, so response time does not reveal how much of a password matched. */
const passwordMatches = (expected: string, password: string): boolean => timingSafeEqual(digest(expected), digest(password))

/** The user whose username or email and password these are; an unknown user costs the same comparison. */
export async function verifyCredentials(store: Store, login: string, password: string): Promise<User | undefined> {
  const user = await findUserByLogin(store, login)
  const matches = passwordMatches(user?.password ?? '', password)
  return user !== undefined && matches ? user : undefined
}
