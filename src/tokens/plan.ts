// What goes into tokens is decided here, in one place, before anything is signed: the granted
// scopes first, then each stage in turn (RBAC, the user's Actions, test scenarios). Every flow
// (authorize, code exchange, refresh, password, client_credentials) passes through planTokens.
import type { Client, ResourceServer, User } from '../config/types.js'

/** Which flow is asking for tokens. A code's plan is made at /authorize and reused by its exchange. */
export type TokenTrigger = 'authorize' | 'authorization_code' | 'refresh_token' | 'password' | 'client_credentials'

/** The HTTP request behind a flow, as Auth0's Actions see it (`event.request`). */
export interface RequestFacts {
  ip: string
  hostname: string
  method: string
  /** query parameters, one value each */
  query: Record<string, string>
  /** form or JSON body parameters, one value each, secrets and passwords left out */
  body: Record<string, string>
  user_agent?: string
  /** the first language of Accept-Language */
  language?: string
}

/** What a stage may read: fixed for the whole plan. */
export interface TokenCall {
  trigger: TokenTrigger
  client: Client
  /** absent for client_credentials */
  user?: User
  api?: ResourceServer
  request?: RequestFacts
  /** the authorize request's parameters (trigger "authorize"), one value each */
  authorize?: Record<string, string>
  /** the login session (authorize) */
  sessionId?: string
  /** when that session's user logged in, seconds since the epoch (authorize) */
  authTime?: number
  /** the response_type values of an authorize request */
  responseTypes?: readonly string[]
  /** the response mode an authorize answer goes back by */
  responseMode?: string
  /** the redirect_uri an authorize answer goes to */
  redirectUri?: string
}

/** What stages change. Protocol claims (iss, sub, aud, iat, exp, jti, …) are set at signing and win. */
export interface TokenPlan {
  scopes: string[]
  accessClaims: Record<string, unknown>
  idClaims: Record<string, unknown>
  /** seconds; the API's (or the flow's) lifetime when absent */
  accessLifetime?: number
  /** seconds; config.ttl.id_token when absent */
  idLifetime?: number
}

/**
 * One step of the plan. It may change the plan, or throw an OAuthError (access_denied …) that the
 * flow returns the way its protocol says (redirect or JSON).
 */
export type TokenStage = (call: TokenCall, plan: TokenPlan) => Promise<void>

/** Runs the stages in order over the granted scopes. `from` continues a plan made earlier (a code's). */
export async function planTokens(
  stages: readonly TokenStage[] | undefined,
  call: TokenCall,
  scopes: readonly string[],
  from?: Partial<TokenPlan>,
): Promise<TokenPlan> {
  const plan: TokenPlan = {
    accessClaims: {},
    idClaims: {},
    ...structuredClone(from ?? {}),
    scopes: [...(from?.scopes ?? scopes)],
  }
  for (const stage of stages ?? []) await stage(call, plan)
  return plan
}

/** What a code keeps of its plan: only what differs from a plain one, so most codes keep nothing. */
export function planToKeep(plan: TokenPlan): Partial<TokenPlan> | undefined {
  const kept: Partial<TokenPlan> = {}
  if (Object.keys(plan.accessClaims).length > 0) kept.accessClaims = plan.accessClaims
  if (Object.keys(plan.idClaims).length > 0) kept.idClaims = plan.idClaims
  if (plan.accessLifetime !== undefined) kept.accessLifetime = plan.accessLifetime
  if (plan.idLifetime !== undefined) kept.idLifetime = plan.idLifetime
  return Object.keys(kept).length > 0 ? kept : undefined
}
