// OAuth 2.0 Token Revocation (RFC 7009) of a token by the client it was issued to.
import type { Client } from '../config/types.js'
import { InvalidGrant } from '../errors/oauth-errors.js'
import { revokeAccessToken, revokeFamily } from '../grants/revocation.js'
import { findActiveToken } from '../tokens/find-token.js'
import type { VerifyDeps } from '../tokens/verify.js'
import { epochSeconds } from '../util/clock.js'

export interface RevokeDeps extends VerifyDeps {
  config: { issuer: string; ttl: { refresh_token: number } }
}

export async function revokeToken(deps: RevokeDeps, client: Client, token: string, hint?: string): Promise<void> {
  const found = await findActiveToken(deps, token, hint)
  // Unknown, expired or already revoked: the client's goal is met, so no error (RFC 7009 §2.2).
  if (!found) return
  const owner = found.type === 'access_token' ? found.claims.client_id : found.record.clientId
  // RFC 7009 §2.1: the server "verifies whether the token was issued to the client making the revocation
  // request. If this validation fails, the request is refused"; RFC 6749 §5.2 names that invalid_grant.
  if (owner !== client.client_id) throw new InvalidGrant(`the token was not issued to client ${client.client_id}`)
  if (found.type === 'refresh_token') {
    // The whole login's refresh tokens go, so a rotated sibling cannot be used either.
    await revokeFamily(deps.store, found.record.family, deps.config.ttl.refresh_token)
    await deps.store.delete('refresh_token', token)
    return
  }
  const { jti, exp } = found.claims
  if (typeof jti === 'string' && typeof exp === 'number') await revokeAccessToken(deps.store, jti, exp - epochSeconds(deps.clock))
}
