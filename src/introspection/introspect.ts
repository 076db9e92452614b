// OAuth 2.0 Token Introspection (RFC 7662 §2.2) for confidential clients.
import type { Client } from '../config/types.js'
import { findActiveToken } from '../tokens/find-token.js'
import type { VerifyDeps } from '../tokens/verify.js'

export type IntrospectionResponse = { active: false } | ({ active: true } & Record<string, unknown>)

const INACTIVE: IntrospectionResponse = { active: false }

/** Any confidential client may introspect access tokens (resource servers do); a refresh token only its own client. */
export async function introspect(deps: VerifyDeps, client: Client, token: string, hint?: string): Promise<IntrospectionResponse> {
  const found = await findActiveToken(deps, token, hint)
  if (!found) return INACTIVE
  if (found.type === 'access_token') {
    const { scope, client_id, exp, iat, sub, aud, iss, jti } = found.claims
    return { active: true, scope, client_id, token_type: 'Bearer', exp, iat, sub, aud, iss, jti }
  }
  const { record } = found
  // Another client learns nothing about a refresh token, not even that it exists.
  if (record.clientId !== client.client_id) return INACTIVE
  return {
    active: true,
    scope: record.scopes.length > 0 ? record.scopes.join(' ') : undefined,
    client_id: record.clientId,
    sub: record.sub,
    exp: record.expiresAt,
    iat: record.issuedAt,
    token_type: 'refresh_token',
  }
}
