import type { FastifyPluginAsync } from 'fastify'
import { handleTokenRequest } from '../grants/token-endpoint.js'
import type { RouteOptions } from './deps.js'

/** POST /oauth/token (RFC 6749 §3.2): JSON responses that are never cached. */
export const tokenRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.post('/oauth/token', async (request, reply) => {
    const { response, clientId, grantType } = await handleTokenRequest(deps, request.body ?? {}, request.headers.authorization)
    request.log.info({ client_id: clientId, grant_type: grantType }, `token: issued ${grantType} tokens to ${clientId}${response.scope ? ` (${response.scope})` : ''}`)
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response)
  })
}
