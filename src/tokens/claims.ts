// OIDC standard claims (Core 5.4) that the granted scopes release about a user.
import type { User } from '../config/types.js'
import type { StoredUser } from '../tenant/users.js'

// Explicit lists: everything else on a user (password above all) stays out of tokens. updated_at is
// an ISO 8601 string, as Auth0 sends it, and only users written through the Management API have one.
const PROFILE_CLAIMS = ['name', 'given_name', 'family_name', 'nickname', 'picture', 'updated_at'] as const
const EMAIL_CLAIMS = ['email', 'email_verified'] as const

export function profileClaims(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {}
  if (scopes.includes('profile')) copyPresent(user, PROFILE_CLAIMS, claims)
  if (scopes.includes('email')) copyPresent(user, EMAIL_CLAIMS, claims)
  return claims
}

function copyPresent(user: StoredUser, names: readonly (keyof StoredUser)[], into: Record<string, unknown>): void {
  for (const name of names) {
    const value = user[name]
    if (value !== undefined) into[name] = value
  }
}
