// Users of the database connection (Auth0's /api/v2/users and /users-by-email), kept in the store with
// their email and username look-ups, so a user created here can log in at once.

import { createHash } from 'node:crypto'
import {
  addUser,
  deleteUser,
  findUserByEmail,
  findUserByUsername,
  replaceUser,
  type StoredUser,
} from '../tenant/users.js'
import type { ManagementDeps } from './deps.js'
import { connectionNotFound, invalidBody, invalidQuery, userExists, userNotFound } from './errors.js'
import { pagedResponse, pageOf, type Paged, type PagingQuery } from './paging.js'
import { parseUserSearch, type SearchTerm } from './user-search.js'
import { absoluteUrl, boolean, metadata, nonEmptyString, pagingProperties, queryValidator, string, bodyValidator, viewProperties } from './validation.js'

/** The one database connection: Auth0's default, which every tenant starts with. */
export const DATABASE_CONNECTION = 'Username-Password-Authentication'

/** A user as the Management API shows one: Auth0's fields, never the password. */
export interface UserView {
  user_id: string
  email?: string
  email_verified: boolean
  username?: string
  name?: string
  given_name?: string
  family_name?: string
  nickname?: string
  picture?: string
  created_at?: string
  updated_at?: string
  identities: { connection: string; provider: 'auth0'; user_id: string; isSocial: false }[]
  app_metadata?: Record<string, unknown>
  user_metadata?: Record<string, unknown>
  blocked?: boolean
}

type Metadata = Record<string, unknown>

interface CreateBody {
  connection: string
  email?: string
  password?: string
  username?: string
  user_id?: string
  name?: string
  given_name?: string
  family_name?: string
  nickname?: string
  picture?: string
  app_metadata?: Metadata
  user_metadata?: Metadata
  blocked?: boolean
  email_verified?: boolean
  verify_email?: boolean
}

interface UpdateBody {
  connection?: string
  email?: string
  password?: string
  username?: string
  name?: string | null
  given_name?: string | null
  family_name?: string | null
  nickname?: string | null
  picture?: string | null
  app_metadata?: Metadata | null
  user_metadata?: Metadata | null
  blocked?: boolean
  email_verified?: boolean
  verify_email?: boolean
}

// The login form reads a value with "@" as an email address, so a username cannot hold one.
const username = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[^@\\s]+$' } as const
const email = { type: 'string', format: 'email' } as const
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] })

const validateCreate = bodyValidator<CreateBody>({
  type: 'object',
  additionalProperties: false,
  required: ['connection'],
  properties: {
    connection: nonEmptyString,
    email,
    password: nonEmptyString,
    username,
    user_id: { type: 'string', minLength: 1, maxLength: 128 },
    name: string,
    given_name: string,
    family_name: string,
    nickname: string,
    picture: absoluteUrl,
    app_metadata: metadata,
    user_metadata: metadata,
    blocked: boolean,
    email_verified: boolean,
    // Gatehouse sends no email; accepted because SDKs send it
    verify_email: boolean,
  },
})

const validateUpdate = bodyValidator<UpdateBody>({
  type: 'object',
  additionalProperties: false,
  properties: {
    connection: nonEmptyString,
    email,
    password: nonEmptyString,
    username,
    name: { type: ['string', 'null'] },
    given_name: { type: ['string', 'null'] },
    family_name: { type: ['string', 'null'] },
    nickname: { type: ['string', 'null'] },
    picture: nullable(absoluteUrl),
    app_metadata: { type: ['object', 'null'] },
    user_metadata: { type: ['object', 'null'] },
    blocked: boolean,
    email_verified: boolean,
    verify_email: boolean,
  },
})

interface ViewQuery {
  fields?: string
  include_fields?: boolean
}

interface ListQuery extends PagingQuery, ViewQuery {
  q?: string
  search_engine?: 'v3'
  connection?: string
  sort?: string
}

const validateList = queryValidator<ListQuery>({
  type: 'object',
  additionalProperties: false,
  properties: {
    ...pagingProperties,
    ...viewProperties,
    q: string,
    // v1 and v2 are retired at Auth0 too
    search_engine: { enum: ['v3'] },
    connection: string,
    sort: string,
  },
})

const validateGet = queryValidator<ViewQuery>({ type: 'object', additionalProperties: false, properties: viewProperties })

const validateByEmail = queryValidator<ViewQuery & { email: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: { ...viewProperties, email: nonEmptyString },
})

const AUTH0_PREFIX = 'auth0|'

/** Auth0's identity of a database user: its id without the provider prefix. */
const identityOf = (userId: string) => ({
  connection: DATABASE_CONNECTION,
  provider: 'auth0' as const,
  user_id: userId.startsWith(AUTH0_PREFIX) ? userId.slice(AUTH0_PREFIX.length) : userId,
  isSocial: false as const,
})

// Auth0's order of a user's fields, so answers read alike whatever the user went through.
const VIEW_FIELDS = [
  'email',
  'email_verified',
  'username',
  'name',
  'given_name',
  'family_name',
  'nickname',
  'picture',
  'created_at',
  'updated_at',
  'identities',
  'app_metadata',
  'user_metadata',
  'blocked',
] as const

export function userView(user: StoredUser): UserView {
  const view: Record<string, unknown> = { user_id: user.user_id }
  for (const field of VIEW_FIELDS) {
    if (field === 'identities') view.identities = [identityOf(user.user_id)]
    else if (field === 'email_verified') view.email_verified = user.email_verified ?? false
    else if (user[field] !== undefined) view[field] = user[field]
  }
  return view as unknown as UserView
}

/** fields=a,b with include_fields (default true) keeps only those; include_fields=false drops them. */
function project(view: UserView, query: ViewQuery): Record<string, unknown> {
  if (query.fields === undefined || query.fields.trim() === '') return { ...view }
  const fields = new Set(query.fields.split(',').map((f) => f.trim()))
  const keep = query.include_fields !== false
  return Object.fromEntries(Object.entries(view).filter(([key]) => fields.has(key) === keep))
}

const nowIso = (deps: ManagementDeps) => new Date(deps.clock.now()).toISOString()

/** Auth0's default picture: Gravatar, falling back to the initials avatar on Auth0's CDN. */
function defaultPicture(email: string | undefined, name: string): string {
  const initials = name.replace(/[^A-Za-z]/g, '').slice(0, 2).toLowerCase() || 'a'
  const fallback = encodeURIComponent(`https://cdn.auth0.com/avatars/${initials}.png`)
  const hash = createHash('md5').update((email ?? '').trim().toLowerCase()).digest('hex')
  return `https://s.gravatar.com/avatar/${hash}?s=480&r=pg&d=${fallback}`
}

/** Auth0 makes a database user's id from 24 hex digits. */
const newUserId = (deps: ManagementDeps) => `${AUTH0_PREFIX}${Buffer.from(deps.newId(12), 'utf8').toString('hex').slice(0, 24)}`

function requireDatabaseConnection(connection: string | undefined): void {
  if (connection !== undefined && connection !== DATABASE_CONNECTION) throw connectionNotFound()
}

/** POST /users */
export async function createUser(deps: ManagementDeps, body: unknown): Promise<UserView> {
  const input = validateCreate(body)
  requireDatabaseConnection(input.connection)
  // A database user needs a password, and an email (or a username) to sign in with.
  if (input.password === undefined) throw invalidBody("Payload validation error: 'Missing required property: password'.")
  if (input.email === undefined && input.username === undefined) {
    throw invalidBody("Payload validation error: 'Missing required property: email'.")
  }
  const now = nowIso(deps)
  const name = input.name ?? input.email ?? input.username!
  const user: StoredUser = {
    // Auth0 keeps a given user_id as the identity's id, under the provider's prefix.
    user_id: input.user_id === undefined ? newUserId(deps) : `${AUTH0_PREFIX}${input.user_id}`,
    password: input.password,
    email_verified: input.email_verified ?? false,
    name,
    nickname: input.nickname ?? (input.email?.split('@')[0] || input.username || name),
    picture: input.picture ?? defaultPicture(input.email, name),
    created_at: now,
    updated_at: now,
  }
  if (input.email !== undefined) user.email = input.email
  if (input.username !== undefined) user.username = input.username
  if (input.given_name !== undefined) user.given_name = input.given_name
  if (input.family_name !== undefined) user.family_name = input.family_name
  if (input.app_metadata !== undefined) user.app_metadata = input.app_metadata
  if (input.user_metadata !== undefined) user.user_metadata = input.user_metadata
  if (input.blocked !== undefined) user.blocked = input.blocked
  if (!(await addUser(deps.store, user))) throw userExists()
  return userView(user)
}

/** The user with this id, or Auth0's 404. */
export async function findUser(deps: ManagementDeps, id: string): Promise<StoredUser> {
  const user = await deps.store.get<StoredUser>('user', id)
  if (user === undefined) throw userNotFound()
  return user
}

/** GET /users/{id} */
export async function getUser(deps: ManagementDeps, id: string, query: unknown): Promise<Record<string, unknown>> {
  const q = validateGet(query)
  return project(userView(await findUser(deps, id)), q)
}

/**
 * Auth0's metadata rule: top-level keys are merged, a null value deletes its key, and an empty object
 * (or null) clears all of it.
 */
function mergeMetadata(current: Metadata | undefined, patch: Metadata | null): Metadata | undefined {
  if (patch === null || Object.keys(patch).length === 0) return undefined
  const merged: Metadata = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key]
    else merged[key] = value
  }
  return merged
}

const PROFILE_FIELDS = ['name', 'given_name', 'family_name', 'nickname', 'picture'] as const

/** PATCH /users/{id}: fields given are replaced (null removes one), metadata merged. */
export async function updateUser(deps: ManagementDeps, id: string, body: unknown): Promise<UserView> {
  const input = validateUpdate(body)
  requireDatabaseConnection(input.connection)
  const previous = await findUser(deps, id)
  const user: StoredUser = { ...previous }
  for (const field of PROFILE_FIELDS) {
    const value = input[field]
    if (value === null) delete user[field]
    else if (value !== undefined) user[field] = value
  }
  for (const field of ['app_metadata', 'user_metadata'] as const) {
    const patch = input[field]
    if (patch === undefined) continue
    const merged = mergeMetadata(user[field], patch)
    if (merged === undefined) delete user[field]
    else user[field] = merged
  }
  if (input.email !== undefined && input.email !== previous.email) {
    user.email = input.email
    // A new address is unverified unless the request says otherwise, as at Auth0.
    user.email_verified = false
  }
  if (input.email_verified !== undefined) user.email_verified = input.email_verified
  if (input.username !== undefined) user.username = input.username
  if (input.password !== undefined) user.password = input.password
  if (input.blocked !== undefined) user.blocked = input.blocked
  user.updated_at = nowIso(deps)
  if (!(await replaceUser(deps.store, user, previous))) throw userExists()
  return userView(user)
}

/** DELETE /users/{id}: the user, their look-ups, consent grants, roles and permissions. */
export async function removeUser(deps: ManagementDeps, id: string): Promise<void> {
  await findUser(deps, id)
  await deleteUser(deps.store, id)
}

async function findByTerm(deps: ManagementDeps, term: SearchTerm): Promise<StoredUser | undefined> {
  switch (term.field) {
    case 'user_id':
      return deps.store.get<StoredUser>('user', term.value)
    case 'email':
      return findUserByEmail(deps.store, term.value)
    case 'username':
      return findUserByUsername(deps.store, term.value)
  }
}

/** The users a search names; each term is an index look-up, so at most one user per term. */
async function searchUsers(deps: ManagementDeps, q: string): Promise<StoredUser[]> {
  const search = parseUserSearch(q)
  const found = await Promise.all(search.terms.map((term) => findByTerm(deps, term)))
  const byId = new Map<string, StoredUser>()
  for (const user of found) if (user !== undefined) byId.set(user.user_id, user)
  const users =
    search.operator === 'or'
      ? [...byId.values()]
      : found.every((u) => u !== undefined && u.user_id === found[0]!.user_id)
        ? [found[0]!]
        : []
  return users.sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : 0))
}

/** GET /users: every user in user_id order, or the users a search names; in pages. */
export async function listUsers(deps: ManagementDeps, query: unknown): Promise<Paged<Record<string, unknown>, 'users'>> {
  const q = validateList(query)
  if (q.sort !== undefined && q.sort !== 'user_id:1') {
    throw invalidQuery(`Query validation error: Gatehouse lists users in user_id order only (sort=user_id:1), not sort=${q.sort}.`)
  }
  const page = pageOf(q)
  const view = (users: StoredUser[]) => users.map((u) => project(userView(u), q))
  // Every user is in the one database connection.
  if (q.connection !== undefined && q.connection !== DATABASE_CONNECTION) return pagedResponse('users', page, [], async () => 0)
  if (q.q !== undefined && q.q.trim() !== '') {
    const found = await searchUsers(deps, q.q)
    return pagedResponse('users', page, view(found.slice(page.offset, page.offset + page.limit)), async () => found.length)
  }
  const users = await deps.store.list<StoredUser>('user', { offset: page.offset, limit: page.limit })
  return pagedResponse('users', page, view(users), () => deps.store.count('user'))
}

/** GET /users-by-email: the users with this address (compared without case), as an array. */
export async function usersByEmail(deps: ManagementDeps, query: unknown): Promise<Record<string, unknown>[]> {
  const q = validateByEmail(query)
  const user = await findUserByEmail(deps.store, q.email)
  return user === undefined ? [] : [project(userView(user), q)]
}
