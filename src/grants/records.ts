// What the store keeps for codes and refresh tokens: everything the token endpoint must check and reissue.
import type { TokenPlan } from '../tokens/plan.js'

export interface AuthorizationCode {
  clientId: string
  redirectUri: string
  /** the authorization request named redirect_uri, so the token request must repeat it (RFC 6749 §4.1.3) */
  redirectUriGiven: boolean
  codeChallenge?: string
  nonce?: string
  sub: string
  audience?: string
  scopes: string[]
  /** seconds since the epoch */
  authTime: number
  /**
   * The ids the code's tokens will carry, fixed when the code is issued, so every concurrent
   * redemption leaves the same replay marker and a replay always revokes what was issued.
   */
  jti: string
  family: string
  /** what /authorize's token plan decided beyond the scopes (claims, lifetimes); the exchange signs it */
  plan?: Partial<TokenPlan>
}

export interface RefreshTokenRecord {
  clientId: string
  sub: string
  audience?: string
  scopes: string[]
  authTime: number
  /** every refresh token of one login shares a family, so reuse can revoke them all */
  family: string
  /** seconds since the epoch */
  issuedAt: number
  expiresAt: number
  /** set when a rotating token was exchanged: presenting it again is reuse */
  usedAt?: number
}

/** Left behind when a code is exchanged, so a replay can revoke what it produced (RFC 6749 §4.1.2). */
export interface UsedCode {
  jti: string
  /** latest possible access token expiry, seconds since the epoch */
  exp: number
  family: string
}
