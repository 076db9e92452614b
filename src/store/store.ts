// One small interface carries every kind of data, so adapters stay small and one contract suite proves them all.

export type Kind =
  | 'client'
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

export interface Store {
  get<T>(kind: Kind, id: string): Promise<T | undefined>
  /** ttlSeconds omitted: kept until deleted */
  set<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<void>
  /** atomic get-and-delete, for single-use values such as authorization codes */
  consume<T>(kind: Kind, id: string): Promise<T | undefined>
  delete(kind: Kind, id: string): Promise<void>
  list<T>(kind: Kind): Promise<T[]>
  close(): Promise<void>
}
