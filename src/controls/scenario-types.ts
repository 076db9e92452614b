// What a test scenario is: which requests it answers (`on` and `match`), what they get, and how many times.

export const SCENARIO_ENDPOINTS = ['authorize', 'token', 'userinfo', 'login'] as const
export type ScenarioEndpoint = (typeof SCENARIO_ENDPOINTS)[number]

/** Facts of one request a scenario may be matched on; a fact the flow does not know yet never matches. */
export interface ScenarioFacts {
  client_id?: string
  user_id?: string
  /** token requests only */
  grant_type?: string
}

export type ScenarioMatch = ScenarioFacts

/** An OAuth error, answered the way the endpoint's protocol says. */
export interface ErrorResponse {
  error: string
  error_description?: string
}

/** authorize only: the user is signed in without the login page. */
export interface LoginAsResponse {
  login_as: string
}

/** Merged into the next tokens (authorize, token) or the UserInfo answer. */
export interface ClaimsResponse {
  claims?: Record<string, unknown>
  /** the access token's lifetime, in seconds */
  expires_in?: number
}

export type ScenarioResponse = ErrorResponse | LoginAsResponse | ClaimsResponse

export type ResponseKind = 'error' | 'login_as' | 'claims'

export const isError = (respond: ScenarioResponse): respond is ErrorResponse => 'error' in respond
export const isLoginAs = (respond: ScenarioResponse): respond is LoginAsResponse => 'login_as' in respond
export const isClaims = (respond: ScenarioResponse): respond is ClaimsResponse => !isError(respond) && !isLoginAs(respond)

export const responseKind = (respond: ScenarioResponse): ResponseKind =>
  isError(respond) ? 'error' : isLoginAs(respond) ? 'login_as' : 'claims'

export interface ScenarioSpec {
  on: ScenarioEndpoint
  match: ScenarioMatch
  respond: ScenarioResponse
  /** how many matching requests it answers */
  times: number
}

export interface Scenario extends ScenarioSpec {
  id: string
  /** answers left */
  remaining: number
  /** ms since the epoch, by the server's clock */
  created_at: number
}
