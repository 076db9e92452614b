import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { bearerChallenge, readBearerToken } from '../userinfo/bearer.js'
import { userinfoClaims } from '../userinfo/userinfo.js'
import { challengeOnError } from './challenge.js'
import type { RouteOptions } from './deps.js'

/** GET|POST /userinfo (OIDC Core §5.3) behind a bearer access token (RFC 6750). */
export const userinfoRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  challengeOnError(app, bearerChallenge)

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache')
    const token = readBearerToken({
      authorization: request.headers.authorization,
      body: request.method === 'POST' ? request.body : undefined,
      formEncoded: /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? ''),
      query: request.query,
    })
    // No credentials at all: a bare challenge, no error code (RFC 6750 §3.1).
    if (token === undefined) {
      request.log.info('userinfo: no bearer token (no Authorization header, or another scheme)')
      return reply.code(401).header('WWW-Authenticate', bearerChallenge()).send()
    }
    return userinfoClaims(deps, token)
  }
  app.route({ method: ['GET', 'POST'], url: '/userinfo', handler })
}
