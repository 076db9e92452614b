import type { FastifyPluginAsync } from 'fastify'
import { authenticateClient, isConfidential, readClientCredentials } from '../clients/authenticate.js'
import { InvalidClient, InvalidRequest } from '../errors/oauth-errors.js'
import { introspect } from '../introspection/introspect.js'
import { readParam } from '../util/form-params.js'
import type { RouteOptions } from './deps.js'
import { formBody } from './form-body.js'

/** POST /oauth/introspect (RFC 7662): for confidential clients only, since it reveals what a token grants. */
export const introspectionRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.post('/oauth/introspect', async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    const body = formBody(request)
    const { client } = await authenticateClient(deps.store, readClientCredentials(request.headers.authorization, body))
    if (!isConfidential(client)) {
      throw new InvalidClient(`client ${client.client_id} is a public client; only confidential clients may introspect tokens`)
    }
    const token = readParam(body, 'token')
    if (token === undefined) throw new InvalidRequest('parameter token is required')
    return introspect(deps, client, token, readParam(body, 'token_type_hint'))
  })
}
