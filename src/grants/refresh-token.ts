import type { ResourceServer, User } from '../config/types.js'
import { InvalidGrant, InvalidScope } from '../errors/oauth-errors.js'
import { refuseIfBlocked } from '../tenant/users.js'
import { splitList } from '../authorize/params.js'
import { planTokens } from '../tokens/plan.js'
import { epochSeconds } from '../util/clock.js'
import type { GrantHandler, TokenRequest } from './context.js'
import { issueTokens } from './issue-tokens.js'
import type { RefreshTokenRecord } from './records.js'
import { requireGrantType, requireParam } from './require.js'
import { isFamilyRevoked, revokeFamily } from './revocation.js'

// A rotated token is kept under this prefix until it expires, so presenting it again is recognised as reuse.
const SPENT_PREFIX = 'spent:'
const spentKey = (token: string) => `${SPENT_PREFIX}${token}`
const UNKNOWN_TOKEN = 'invalid refresh token: unknown, expired or issued to another client'

// RFC 6749 §6. Rotating clients get a new refresh token each time; presenting a used one revokes the
// family (RFC 9700 §4.14.2), unless it comes within the client's reuse interval (Auth0's leeway).
export const refreshTokenGrant: GrantHandler = async (request) => {
  requireGrantType(request, 'refresh_token')
  const { store, clock } = request.deps
  const token = requireParam(request, 'refresh_token')
  if (token.startsWith(SPENT_PREFIX)) throw new InvalidGrant(UNKNOWN_TOKEN)
  const client = request.auth.client
  const rotating = client.refresh_token.rotation_type === 'rotating'

  let record = await store.get<RefreshTokenRecord>('refresh_token', token)
  const spentEarlier = record === undefined && rotating
  if (spentEarlier) record = await store.get<RefreshTokenRecord>('refresh_token', spentKey(token))
  // The store's ttl runs in milliseconds and may outlive expiresAt (whole seconds) by a fraction of one.
  if (!record || record.expiresAt <= epochSeconds(clock) || record.clientId !== client.client_id) {
    throw new InvalidGrant(UNKNOWN_TOKEN)
  }
  if (await isFamilyRevoked(store, record.family)) throw new InvalidGrant('the refresh token was revoked')
  // Checked before anything is spent: a refused request leaves the token usable, so its retry is not reuse.
  const granted = await checkRequest(request, record)
  const api = record.audience ? await store.get<ResourceServer>('resource_server', record.audience) : undefined
  // The plan too (RBAC, Actions): an Action that denies this refresh leaves the token unspent.
  const call = { trigger: 'refresh_token', client, user: granted.user, api, request: request.request } as const
  const decided = await planTokens(request.deps.tokenStages, call, granted.scopes)
  if (rotating) await spend(request, token, record, spentEarlier)

  return issueTokens(request.deps, {
    decided,
    trigger: 'refresh_token',
    request: request.request,
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
}

/**
 * Spends a rotating token exactly once across concurrent requests and replicas: the spent copy is
 * written first, then the live one consumed; whoever fails to consume it is a reuse.
 */
async function spend(request: TokenRequest, token: string, record: RefreshTokenRecord, spentEarlier: boolean): Promise<void> {
  const { store, clock, config } = request.deps
  const now = epochSeconds(clock)
  let usedAt = record.usedAt ?? now
  if (!spentEarlier) {
    await store.set('refresh_token', spentKey(token), { ...record, usedAt }, record.expiresAt - now)
    if (await store.consume('refresh_token', token)) return
    usedAt = (await store.get<RefreshTokenRecord>('refresh_token', spentKey(token)))?.usedAt ?? now
  }
  const leeway = request.auth.client.refresh_token.leeway ?? 0
  // Without a leeway every reuse is one, even when another replica's clock put usedAt after now.
  if (leeway > 0 && now - usedAt < leeway) return
  await revokeFamily(store, record.family, config.ttl.refresh_token)
  throw new InvalidGrant('refresh token reuse detected: every token of this login was revoked')
}

async function checkRequest(request: TokenRequest, record: RefreshTokenRecord): Promise<{ scopes: string[]; user: User }> {
  const scopes = narrowedScopes(request, record)
  const user = await request.deps.store.get<User>('user', record.sub)
  if (!user) throw new InvalidGrant('the user of this refresh token no longer exists')
  refuseIfBlocked(user)
  return { scopes, user }
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
