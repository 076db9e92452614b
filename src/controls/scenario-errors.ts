// A scripted error, as the endpoint's protocol answers it: the status each code comes with, so that the
// app under test sees exactly what a real server would send.
import { OAuthError, type OAuthErrorCode } from '../errors/oauth-errors.js'
import type { ErrorResponse, ScenarioEndpoint } from './scenario-types.js'

// RFC 6749 §5.2 (400 unless the client failed to authenticate), RFC 6750 §3.1, and Auth0's own codes.
const TOKEN_STATUS: Record<string, number> = {
  invalid_client: 401,
  unauthorized: 401,
  invalid_token: 401,
  access_denied: 403,
  insufficient_scope: 403,
  too_many_attempts: 429,
  server_error: 500,
  temporarily_unavailable: 503,
}

// RFC 6750 §3.1: a protected resource answers 401 unless the request was malformed or lacked scope.
const USERINFO_STATUS: Record<string, number> = {
  invalid_request: 400,
  insufficient_scope: 403,
  access_denied: 403,
  server_error: 500,
  temporarily_unavailable: 503,
}

const LOGIN_STATUS: Record<string, number> = {
  unauthorized: 401,
  access_denied: 403,
  too_many_attempts: 429,
  server_error: 500,
  temporarily_unavailable: 503,
}

/** The description of a scripted error that names none. */
export const SCRIPTED = 'scripted by a Gatehouse test scenario'

export function statusOf(on: ScenarioEndpoint, error: string): number {
  switch (on) {
    case 'token':
      return TOKEN_STATUS[error] ?? 400
    case 'userinfo':
      return USERINFO_STATUS[error] ?? 401
    case 'login':
      return LOGIN_STATUS[error] ?? 400
    case 'authorize':
      // sent back to the redirect_uri: the status is the redirect's
      return 400
  }
}

export const describeScripted = (respond: ErrorResponse): string => respond.error_description ?? SCRIPTED

/**
 * The OAuthError for a scripted answer. Any code the specs (or Auth0) define may be scripted, including
 * ones Gatehouse never sends itself, hence the widening.
 */
export function scriptedError(on: ScenarioEndpoint, respond: ErrorResponse): OAuthError {
  return new OAuthError(respond.error as OAuthErrorCode, describeScripted(respond), statusOf(on, respond.error))
}
