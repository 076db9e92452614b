// Errors carry the RFC's code; callers branch on `error`, never on the message.

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'login_required'
  | 'consent_required'
  | 'interaction_required'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'registration_not_supported'
  /** Auth0's answer for a user and IP blocked by brute-force protection */
  | 'too_many_attempts'
  /** Auth0's answer for a user an administrator blocked ("user is blocked") */
  | 'unauthorized'

export class OAuthError extends Error {
  readonly error: OAuthErrorCode
  readonly status: number
  /** false: the client or redirect_uri could not be trusted, so the error is shown, never redirected */
  readonly redirectable: boolean

  constructor(error: OAuthErrorCode, description: string, status = 400, redirectable = true) {
    super(description)
    this.name = 'OAuthError'
    this.error = error
    this.status = status
    this.redirectable = redirectable
  }

  get description(): string {
    return this.message
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.error, error_description: this.message }
  }
}

const define = (code: OAuthErrorCode, status = 400) =>
  class extends OAuthError {
    constructor(description: string) {
      super(code, description, status)
    }
  }

export const InvalidRequest = define('invalid_request')
export const InvalidClient = define('invalid_client', 401)
export const InvalidGrant = define('invalid_grant')
export const UnauthorizedClient = define('unauthorized_client')
export const UnsupportedGrantType = define('unsupported_grant_type')
export const UnsupportedResponseType = define('unsupported_response_type')
export const InvalidScope = define('invalid_scope')
export const AccessDenied = define('access_denied', 403)
export const LoginRequired = define('login_required')
export const ConsentRequired = define('consent_required')
export const InvalidToken = define('invalid_token', 401)
/** Auth0: HTTP 429 from /oauth/token while brute-force protection blocks the user and IP. */
export const TooManyAttempts = define('too_many_attempts', 429)
/** Auth0: HTTP 401 from /oauth/token for a user an administrator blocked. */
export const UserBlocked = define('unauthorized', 401)

/** An error about the client or redirect_uri: rendered as a page, never sent to the redirect_uri (RFC 6749 §4.1.2.1). */
export class UntrustedRequest extends OAuthError {
  constructor(error: 'invalid_client' | 'invalid_request', description: string) {
    super(error, description, 400, false)
  }
}

/** client_id names no client of this tenant; the error page says how to add one. */
export class UnknownClient extends UntrustedRequest {
  readonly clientId: string

  constructor(clientId: string) {
    super('invalid_client', `unknown client: ${clientId}`)
    this.clientId = clientId
  }
}

/** redirect_uri is missing or not exactly one of the client's callbacks; the error page lists them. */
export class CallbackMismatch extends UntrustedRequest {
  readonly clientId: string
  readonly callbacks: readonly string[]
  /** undefined when the request named none */
  readonly redirectUri: string | undefined

  constructor(description: string, client: { client_id: string; callbacks: readonly string[] }, redirectUri?: string) {
    super('invalid_request', description)
    this.clientId = client.client_id
    this.callbacks = [...client.callbacks]
    this.redirectUri = redirectUri
  }
}
