import type { FastifyPluginAsync } from 'fastify'
import { isConfidential } from '../clients/authenticate.js'
import { InvalidClient } from '../errors/oauth-errors.js'
import { introspect } from '../introspection/introspect.js'
import type { RouteOptions } from './deps.js'
import { readTokenRequest } from './form-body.js'

/** POST /oauth/introspect (RFC 7662): for confidential clients only, since it reveals what a token grants. */
export const introspectionRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.post('/oauth/introspect', async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    const { client, token, hint } = await readTokenRequest(request, deps.store)
    if (!isConfidential(client)) {
      throw new InvalidClient(`client ${client.client_id} is a public client; only confidential clients may introspect tokens`)
    }
    return introspect(deps, client, token, hint)
  })
}
