import type { FastifyPluginAsync } from 'fastify'
import { revokeToken } from '../revocation/revoke.js'
import type { RouteOptions } from './deps.js'
import { readTokenRequest } from './form-body.js'

/** POST /oauth/revoke (RFC 7009), authenticated like the token endpoint; public clients send client_id only, as at Auth0. */
export const revocationRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.post('/oauth/revoke', async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    const { client, token, hint } = await readTokenRequest(request, deps.store)
    await revokeToken(deps, client, token, hint)
    request.log.info(`revoke: done for client ${client.client_id}`)
    return reply.code(200).send()
  })
}
