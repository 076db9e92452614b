// One small interface carries every kind of data, so adapters stay small and one contract suite proves them all.

export type Kind =
  | 'client'
  /** secrets generated for confidential clients configured without one */
  | 'client_secret'
  | 'resource_server'
  | 'user'
  | 'user_lookup'
  | 'client_grant'
  | 'grant'
  | 'session'
  | 'interaction'
  | 'code'
  | 'refresh_token'
  | 'token_family'
  | 'revoked'
  /** failed logins per user and IP (brute-force protection) */
  | 'login_attempt'
  /** the ids the config file named at the last start */
  | 'seeded'
  /** private signing keys, shared by every replica on one store */
  | 'signing_key'
  /** versions of the signing keys' rotation state (which key is next, current, previous, revoked) */
  | 'signing_key_state'
  /** X.509 certificates of the signing keys, made once when first asked for */
  | 'signing_key_cert'
  /** RBAC roles by id, and the name that finds each one */
  | 'role'
  | 'role_name'
  /** RBAC assignments, each keyed by its owner first so an id prefix lists one owner's (see rbac/assignments.ts) */
  | 'role_permission'
  | 'user_role'
  /** the reverse of user_role: a role's users */
  | 'role_user'
  | 'user_permission'

/**
 * Which entries of a kind to list. Ids sort by code point (byte order of their UTF-8), so an id
 * built as `<owner>|<thing>` lists one owner's things with `prefix: '<owner>|'`, in pages.
 */
export interface ListQuery {
  /** only ids that start with this */
  prefix?: string
  /** entries to skip, in id order */
  offset?: number
  /** at most this many */
  limit?: number
}

export interface Store {
  /** what the startup log shows: the adapter and where its data lives, never a password */
  readonly description: string
  get<T>(kind: Kind, id: string): Promise<T | undefined>
  /** ttlSeconds omitted: kept until deleted; a ttl that has run out deletes */
  set<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<void>
  /**
   * Sets the value only when no live entry has this id, and says whether it did. Whoever comes first
   * wins, across processes: for things created once, such as signing keys.
   */
  add<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<boolean>
  /** atomic get-and-delete, for single-use values such as authorization codes */
  consume<T>(kind: Kind, id: string): Promise<T | undefined>
  delete(kind: Kind, id: string): Promise<void>
  /** deletes every entry of one kind and says how many there were (the test controls' reset) */
  clear(kind: Kind): Promise<number>
  /** live values of one kind, in id order */
  list<T>(kind: Kind, query?: ListQuery): Promise<T[]>
  /** how many live entries of one kind (with ids that start with prefix) */
  count(kind: Kind, prefix?: string): Promise<number>
  /** resolves when the store can answer now; rejects with StoreUnavailableError otherwise */
  ping(): Promise<void>
  close(): Promise<void>
}
