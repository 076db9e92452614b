// What the store keeps for codes and refresh tokens: everything the token endpoint must check and reissue.

export interface AuthorizationCode {
  clientId: string
  redirectUri: string
  codeChallenge?: string
  nonce?: string
  sub: string
  audience?: string
  scopes: string[]
  /** seconds since the epoch */
  authTime: number
}

export interface RefreshTokenRecord {
  clientId: string
  sub: string
  audience?: string
  scopes: string[]
  authTime: number
  /** every refresh token of one login shares a family, so reuse can revoke them all */
  family: string
}
