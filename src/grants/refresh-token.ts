import type { ResourceServer, User } from '../config/types.js'
import { InvalidGrant, InvalidScope } from '../errors/oauth-errors.js'
import { splitList } from '../authorize/params.js'
import { epochSeconds } from '../util/clock.js'
import type { GrantHandler, TokenRequest } from './context.js'
import { issueTokens } from './issue-tokens.js'
import type { RefreshTokenRecord } from './records.js'
import { requireGrantType, requireParam } from './require.js'
import { isFamilyRevoked, revokeFamily } from './revocation.js'

// RFC 6749 §6. Rotating clients get a new refresh token each time; presenting a used one revokes the family (RFC 9700 §4.14.2).
export const refreshTokenGrant: GrantHandler = async (request) => {
  requireGrantType(request, 'refresh_token')
  const { store, clock, config } = request.deps
  const token = requireParam(request, 'refresh_token')
  const client = request.auth.client
  const rotating = client.refresh_token.rotation_type === 'rotating'
  const record = rotating
    ? await store.consume<RefreshTokenRecord>('refresh_token', token)
    : await store.get<RefreshTokenRecord>('refresh_token', token)
  // The store's ttl runs in milliseconds and may outlive expiresAt (whole seconds) by a fraction of one.
  const expired = record !== undefined && record.expiresAt <= epochSeconds(clock)
  if (!record || expired || record.clientId !== client.client_id) {
    if (record && rotating) await putBack(request, token, record)
    throw new InvalidGrant('invalid refresh token: unknown, expired or issued to another client')
  }
  if (await isFamilyRevoked(store, record.family)) throw new InvalidGrant('the refresh token was revoked')
  if (rotating && record.usedAt !== undefined) {
    await revokeFamily(store, record.family, config.ttl.refresh_token, epochSeconds(clock))
    throw new InvalidGrant('refresh token reuse detected: every token of this login was revoked')
  }

  let granted: { scopes: string[]; user: User }
  try {
    granted = await checkRequest(request, record)
  } catch (err) {
    // A refused request leaves a rotating token unspent, so the retry is not taken for reuse.
    if (rotating) await putBack(request, token, record)
    throw err
  }
  if (rotating) await putBack(request, token, { ...record, usedAt: epochSeconds(clock) })

  const api = record.audience ? await store.get<ResourceServer>('resource_server', record.audience) : undefined
  const issued = await issueTokens(request.deps, {
    client,
    user: granted.user,
    api,
    scopes: granted.scopes,
    grantScopes: record.scopes,
    authTime: record.authTime,
    family: record.family,
    refreshExpiresAt: record.expiresAt,
    refresh: rotating,
  })
  return issued.response
}

async function checkRequest(request: TokenRequest, record: RefreshTokenRecord): Promise<{ scopes: string[]; user: User }> {
  const scopes = narrowedScopes(request, record)
  const user = await request.deps.store.get<User>('user', record.sub)
  if (!user) throw new InvalidGrant('the user of this refresh token no longer exists')
  return { scopes, user }
}

async function putBack(request: TokenRequest, token: string, record: RefreshTokenRecord): Promise<void> {
  const { store, clock } = request.deps
  const left = record.expiresAt - epochSeconds(clock)
  if (left > 0) await store.set('refresh_token', token, record, left)
}

// A refresh may ask for less than was granted, never more (RFC 6749 §6).
function narrowedScopes(request: TokenRequest, record: RefreshTokenRecord): string[] {
  const asked = request.params.scope
  if (asked === undefined) return record.scopes
  const scopes = splitList(asked)
  const extra = scopes.filter((scope) => !record.scopes.includes(scope))
  if (extra.length > 0) throw new InvalidScope(`scope exceeds the original grant: ${extra.join(' ')}`)
  return scopes
}

