import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { STORE_RETRY_AFTER_SECONDS, StoreUnavailableError } from '../store/errors.js'
import { OAuthError } from './oauth-errors.js'

export interface ErrorPages {
  /** shows the error as a page, for browsers */
  send(reply: FastifyReply, error: OAuthError, status: number): unknown
}

/** JSON errors in RFC 6749 §5.2 shape for every endpoint; nothing unexpected leaks past server_error. */
export function installErrorHandlers(app: FastifyInstance, pages?: ErrorPages): void {
  app.setErrorHandler((err: FastifyError | OAuthError | StoreUnavailableError, request, reply) => {
    reply.header('Cache-Control', 'no-store')
    if (err instanceof StoreUnavailableError) {
      // The database is down or slow: say so, and let the client retry; nothing is half done.
      request.log.warn(`${request.url.split('?')[0]}: store unavailable: ${err.message}`)
      reply.header('Retry-After', String(STORE_RETRY_AFTER_SECONDS))
      const error = new OAuthError('temporarily_unavailable', 'the store is unavailable; try again shortly', 503)
      if (pages !== undefined && (request.headers.accept ?? '').includes('text/html')) return pages.send(reply, error, 503)
      return reply.code(503).send(error.toJSON())
    }
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
