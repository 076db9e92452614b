import type { FastifyPluginAsync } from 'fastify'
import type { Store } from '../store/store.js'

/** For container health checks and CI readiness probes: healthy when the store answers. */
export const healthRoutes: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  app.get('/healthz', async (_request, reply) => {
    try {
      await store.ping()
      return { status: 'ok' }
    } catch (err) {
      reply.header('Cache-Control', 'no-store')
      return reply.code(503).send({ status: 'unavailable', reason: err instanceof Error ? err.message : String(err) })
    }
  })
}
