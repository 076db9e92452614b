import type { FastifyPluginAsync } from 'fastify'
import { authenticateClient, readClientCredentials } from '../clients/authenticate.js'
import { InvalidRequest } from '../errors/oauth-errors.js'
import { revokeToken } from '../revocation/revoke.js'
import { readParam } from '../util/form-params.js'
import type { RouteOptions } from './deps.js'
import { formBody } from './form-body.js'

/** POST /oauth/revoke (RFC 7009), authenticated like the token endpoint; public clients send client_id only, as at Auth0. */
export const revocationRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.post('/oauth/revoke', async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    const body = formBody(request)
    const { client } = await authenticateClient(deps.store, readClientCredentials(request.headers.authorization, body))
    const token = readParam(body, 'token')
    if (token === undefined) throw new InvalidRequest('parameter token is required')
    await revokeToken(deps, client, token, readParam(body, 'token_type_hint'))
    request.log.info(`revoke: done for client ${client.client_id}`)
    return reply.code(200).send()
  })
}
