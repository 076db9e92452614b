import type { FastifyReply } from 'fastify'
import { InvalidRequest, type OAuthError } from '../errors/oauth-errors.js'
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

/** The hint of the "expired" page, with the configured interaction lifetime. */
export function expiredHint(deps: AppDeps): string {
  const seconds = deps.config.ttl.interaction
  const minutes = seconds / 60
  const lifetime = Number.isInteger(minutes) ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${seconds} seconds`
  return `Sign-in requests last ${lifetime} and can be completed once. Go back to the application and start again.`
}

/** The page for a login, consent or resume URL whose interaction is gone. */
export const sendExpiredPage = (reply: FastifyReply, deps: AppDeps) =>
  sendErrorPage(reply, deps, new InvalidRequest('this sign-in request has expired or was already completed'), 400, expiredHint(deps))
