import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { providerMetadata } from '../discovery/metadata.js'
import type { RouteOptions } from './deps.js'

const sendJson = (reply: FastifyReply, body: string, maxAge: number) =>
  reply.header('Content-Type', 'application/json; charset=utf-8').header('Cache-Control', `public, max-age=${maxAge}`).send(body)

// Short for the key set: a rotation or a revocation through the Management API changes it at runtime.
const JWKS_MAX_AGE = 15

/**
 * Discovery (OIDC Discovery, RFC 8414) and the public signing keys. The metadata is computed once, the
 * key set's text once per rotation state; the key set is served once the next key is published beside
 * the current one (it is made just after the first start).
 */
export const discoveryRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  const metadata = JSON.stringify(providerMetadata(deps.config.issuer))
  let published = deps.keystore.jwks()
  let jwksText = JSON.stringify(published)
  const sendMetadata = (_: unknown, reply: FastifyReply) => sendJson(reply, metadata, 300)
  app.get('/.well-known/openid-configuration', sendMetadata)
  app.get('/.well-known/oauth-authorization-server', sendMetadata)
  app.get('/.well-known/jwks.json', async (_, reply) => {
    await deps.keystore.ready()
    if (deps.keystore.jwks() !== published) {
      published = deps.keystore.jwks()
      jwksText = JSON.stringify(published)
    }
    return sendJson(reply, jwksText, JWKS_MAX_AGE)
  })
}
