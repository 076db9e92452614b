import type { FastifyInstance } from 'fastify'
import { OAuthError } from '../errors/oauth-errors.js'

/**
 * Adds a WWW-Authenticate header to the OAuth errors of this plugin's routes, then rethrows so the
 * app's error handler still writes the JSON body (a child handler that throws hands over to its parent).
 */
export function challengeOnError(app: FastifyInstance, challenge: (error: OAuthError) => string | undefined): void {
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof OAuthError) {
      const value = challenge(error)
      if (value !== undefined) reply.header('WWW-Authenticate', value)
    }
    throw error
  })
}
