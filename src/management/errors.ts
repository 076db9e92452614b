// The Management API's errors, in Auth0's shape: { statusCode, error, message, errorCode }.

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

export interface ManagementErrorBody {
  statusCode: number
  error: string
  message: string
  errorCode?: string
}

export class ManagementError extends Error {
  readonly statusCode: number
  readonly errorCode: string | undefined

  constructor(statusCode: number, message: string, errorCode?: string) {
    super(message)
    this.name = 'ManagementError'
    this.statusCode = statusCode
    this.errorCode = errorCode
  }

  toJSON(): ManagementErrorBody {
    const body: ManagementErrorBody = { statusCode: this.statusCode, error: REASONS[this.statusCode] ?? 'Error', message: this.message }
    if (this.errorCode !== undefined) body.errorCode = this.errorCode
    return body
  }
}

/** 401: no credentials, or a token this API does not accept. */
export class Unauthorized extends ManagementError {
  constructor(message: string, errorCode?: string) {
    super(401, message, errorCode)
  }
}

/** 400 for a body that fails the endpoint's schema: Auth0's `Payload validation error: '…'`. */
export const invalidBody = (message: string) => new ManagementError(400, message, 'invalid_body')
/** 400 for query parameters that fail the endpoint's schema. */
export const invalidQuery = (message: string) => new ManagementError(400, message, 'invalid_query_string')
/** 400 for a body that has the right shape and a meaning this tenant refuses. */
export const badRequest = (message: string, errorCode = 'invalid_body') => new ManagementError(400, message, errorCode)
export const notFound = (message: string, errorCode: string) => new ManagementError(404, message, errorCode)
export const conflict = (message: string, errorCode: string) => new ManagementError(409, message, errorCode)

export const userNotFound = () => notFound('The user does not exist.', 'inexistent_user')
export const userExists = () => conflict('The user already exists.', 'auth0_idp_error')
export const connectionNotFound = () => badRequest('The connection does not exist.', 'inexistent_connection')
export const clientNotFound = () => notFound('The client does not exist', 'inexistent_client')
export const grantNotFound = () => notFound('The grant does not exist.', 'inexistent_grant')
export const resourceServerNotFound = () => notFound('The resource server does not exist', 'inexistent_resource_server')
export const clientGrantNotFound = () => notFound('The client grant does not exist', 'inexistent_client_grant')
