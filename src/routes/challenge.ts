import type { FastifyInstance } from 'fastify'
import { OAuthError } from '../errors/oauth-errors.js'

/**
 * Adds a WWW-Authenticate header to the OAuth errors of this plugin's routes, then rethrows so the
 * app's error handler still writes the JSON body (a child handler that throws hands over to its parent).
 */
export function challengeOnError(app: FastifyInstance, challenge: (error: OAuthError) => string | undefined): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof OAuthError) {
      // The app's handler does not log client errors; these explain a 401 the client may not show.
      request.log.info({ error: error.error }, `${request.url.split('?')[0]}: ${error.message}`)
      const value = challenge(error)
      if (value !== undefined) reply.header('WWW-Authenticate', value)
    }
    throw error
  })
}

/** RFC 6749 §5.2: a failed client authentication answers 401 with a challenge for the Basic scheme. */
export const basicChallenge = (error: OAuthError): string | undefined =>
  error.error === 'invalid_client' ? 'Basic realm="gatehouse"' : undefined
