import type { FastifyError, FastifyInstance } from 'fastify'
import { OAuthError } from './oauth-errors.js'

/** JSON errors in RFC 6749 §5.2 shape for every endpoint; nothing unexpected leaks past server_error. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | OAuthError, request, reply) => {
    reply.header('Cache-Control', 'no-store')
    if (err instanceof OAuthError) {
      // Client errors are logged too: they explain an answer the client may not show.
      request.log.info({ error: err.error }, `${request.url.split('?')[0]}: ${err.error}: ${err.message}`)
      // RFC 6749 §5.2: a 401 for client authentication names the scheme the client may use.
      if (err.error === 'invalid_client') reply.header('WWW-Authenticate', 'Basic realm="gatehouse"')
      return reply.code(err.status).send(err.toJSON())
    }
    const status = err.statusCode ?? 500
    if (status < 500) {
      return reply.code(status).send({ error: 'invalid_request', error_description: err.message })
    }
    request.log.error({ err }, 'unexpected error')
    return reply.code(500).send({ error: 'server_error', error_description: 'internal server error' })
  })
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', error_description: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  )
}
