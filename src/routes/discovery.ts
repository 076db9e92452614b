import type { FastifyPluginAsync } from 'fastify'
import { providerMetadata } from '../discovery/metadata.js'
import type { RouteOptions } from './deps.js'

/** Discovery (OIDC Discovery, RFC 8414) and the public signing keys. Both are computed once. */
export const discoveryRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  const metadata = JSON.stringify(providerMetadata(deps.config.issuer))
  const jwks = JSON.stringify(deps.keystore.jwks())
  const sendJson = (body: string, maxAge: number) => (_: unknown, reply: import('fastify').FastifyReply) =>
    reply
      .header('Content-Type', 'application/json; charset=utf-8')
      .header('Cache-Control', `public, max-age=${maxAge}`)
      .send(body)
  app.get('/.well-known/openid-configuration', sendJson(metadata, 300))
  app.get('/.well-known/oauth-authorization-server', sendJson(metadata, 300))
  app.get('/.well-known/jwks.json', sendJson(jwks, 300))
}
