// Finds an active token Gatehouse issued, whichever kind it is, for revocation and introspection.
import type { JWTPayload } from 'jose'
import { InvalidToken } from '../errors/oauth-errors.js'
import type { RefreshTokenRecord } from '../grants/records.js'
import { isFamilyRevoked } from '../grants/revocation.js'
import { epochSeconds } from '../util/clock.js'
import { verifyAccessToken, type VerifyDeps } from './verify.js'

export type FoundToken =
  | { type: 'access_token'; claims: JWTPayload }
  | { type: 'refresh_token'; record: RefreshTokenRecord }

type Finder = (deps: VerifyDeps, token: string) => Promise<FoundToken | undefined>

/** undefined for unknown, expired, revoked or already rotated tokens. The hint only picks which kind is tried first (RFC 7009 §2.1). */
export async function findActiveToken(deps: VerifyDeps, token: string, hint?: string): Promise<FoundToken | undefined> {
  const order: Finder[] = hint === 'refresh_token' ? [findRefreshToken, findAccessToken] : [findAccessToken, findRefreshToken]
  for (const find of order) {
    const found = await find(deps, token)
    if (found) return found
  }
  return undefined
}

const findAccessToken: Finder = async (deps, token) => {
  if (token.split('.').length !== 3) return undefined
  try {
    return { type: 'access_token', claims: await verifyAccessToken(deps, token) }
  } catch (err) {
    if (err instanceof InvalidToken) return undefined
    throw err
  }
}

const findRefreshToken: Finder = async (deps, token) => {
  const record = await deps.store.get<RefreshTokenRecord>('refresh_token', token)
  if (!record) return undefined
  if (record.expiresAt <= epochSeconds(deps.clock) || record.usedAt !== undefined) return undefined
  if (await isFamilyRevoked(deps.store, record.family)) return undefined
  return { type: 'refresh_token', record }
}
