import { createHash, timingSafeEqual } from 'node:crypto'
import type { User } from '../config/types.js'
import type { Store } from '../store/store.js'

// Users are found by username or email through small index entries, never by scanning.
const emailKey = (email: string) => `email:${email.toLowerCase()}`
const usernameKey = (username: string) => `username:${username.toLowerCase()}`

const lookupKeys = (user: User | undefined): string[] => [
  ...(user?.email ? [emailKey(user.email)] : []),
  ...(user?.username ? [usernameKey(user.username)] : []),
]

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

/** Deletes the user and the look-ups that find them. */
export async function deleteUser(store: Store, userId: string): Promise<void> {
  const user = await store.get<User>('user', userId)
  await store.delete('user', userId)
  for (const key of lookupKeys(user)) {
    if ((await store.get<string>('user_lookup', key)) === userId) await store.delete('user_lookup', key)
  }
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
