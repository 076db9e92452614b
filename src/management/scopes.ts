// The Management API as an API of the tenant: it exists without being configured, at <issuer>api/v2/.
import type { ResourceServer } from '../config/types.js'
import { ManagementError } from './errors.js'

/** Auth0's Management API scopes that Gatehouse knows; a client grant for the Management API may name these. */
export const MANAGEMENT_SCOPES = [
  'read:users',
  'create:users',
  'update:users',
  'delete:users',
  'read:clients',
  'create:clients',
  'update:clients',
  'delete:clients',
  'read:client_keys',
  'update:client_keys',
  'read:resource_servers',
  'create:resource_servers',
  'update:resource_servers',
  'delete:resource_servers',
  'read:client_grants',
  'create:client_grants',
  'update:client_grants',
  'delete:client_grants',
  'read:grants',
  'delete:grants',
  'read:roles',
  'create:roles',
  'update:roles',
  'delete:roles',
  'read:signing_keys',
  'create:signing_keys',
  'update:signing_keys',
] as const

export type ManagementScope = (typeof MANAGEMENT_SCOPES)[number]

/** The Management API's identifier (its audience), as Auth0 names it: https://<tenant>/api/v2/. */
export const managementAudience = (issuer: string): string => `${issuer}api/v2/`

/** The Management API as a resource server, in the shape the token endpoint uses (Auth0's system API). */
export function managementApi(issuer: string): ResourceServer {
  return {
    identifier: managementAudience(issuer),
    name: 'Auth0 Management API',
    scopes: MANAGEMENT_SCOPES.map((value) => ({ value, description: value })),
    token_lifetime: 86400,
    token_lifetime_for_web: 7200,
    signing_alg: 'RS256',
    skip_consent_for_verifiable_first_party_clients: false,
    allow_offline_access: false,
  }
}

/**
 * 403 unless the token has every one of these scopes: what Auth0 asks to read a user's roles
 * (read:users and read:roles). Most endpoints take any one of their scopes (auth.ts requireScope).
 */
export function requireAllScopes(granted: ReadonlySet<string>, allOf: readonly string[]): void {
  if (allOf.every((scope) => granted.has(scope))) return
  throw new ManagementError(403, `Insufficient scope, expected all of: ${allOf.join(',')}`, 'insufficient_scope')
}
