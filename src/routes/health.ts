import type { FastifyPluginAsync } from 'fastify'

/** For container health checks and CI readiness probes. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }))
}
