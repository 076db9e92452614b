import type { FastifyReply } from 'fastify'
import type { OAuthError } from '../errors/oauth-errors.js'
import type { AppDeps } from './deps.js'
import { sendPage } from './pages.js'

const HINTS: Record<string, string> = {
  invalid_client: 'Check the client_id the application sends against the clients in the Gatehouse config.',
  invalid_request: 'The request cannot be trusted enough to send you back to the application, so the error is shown here.',
}

/** An error that must not be redirected (RFC 6749 §4.1.2.1): shown to the user instead. */
export function sendErrorPage(reply: FastifyReply, deps: AppDeps, error: OAuthError, status = 400, hint?: string) {
  return sendPage(
    reply,
    'error',
    {
      title: 'Error',
      heading: 'Something went wrong',
      issuer: deps.config.issuer,
      error: error.error,
      description: error.message,
      hint: hint ?? HINTS[error.error] ?? '',
    },
    { status },
  )
}
