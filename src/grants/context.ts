import type { BruteForceProtection } from '../attack-protection/brute-force.js'
import type { AuthenticatedClient } from '../clients/authenticate.js'
import type { Config } from '../config/types.js'
import type { Store } from '../store/store.js'
import type { Minter } from '../tokens/mint.js'
import type { RequestFacts, TokenStage } from '../tokens/plan.js'
import type { Clock } from '../util/clock.js'
import type { IdGenerator } from '../util/ids.js'

export interface GrantDeps {
  config: Config
  store: Store
  clock: Clock
  newId: IdGenerator
  minter: Minter
  bruteForce: BruteForceProtection
  /** the token plan's stages, in order (RBAC, Actions, scenarios); none by default */
  tokenStages?: readonly TokenStage[]
}

/** One token request, after client authentication. Parameters are single strings (repeats were refused). */
export interface TokenRequest {
  deps: GrantDeps
  params: Record<string, string>
  auth: AuthenticatedClient
  /** the caller's address, for brute-force protection */
  ip: string
  /** the HTTP request, for the token plan's stages */
  request?: RequestFacts
}

export interface TokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  scope?: string
  id_token?: string
  refresh_token?: string
}

/** The response, and for the event log who it was issued to and the access token's id. */
export interface IssuedTokens {
  response: TokenResponse
  /** the user the tokens were issued for; none for client_credentials */
  userId?: string
  jti: string
}

export type GrantHandler = (request: TokenRequest) => Promise<IssuedTokens>
