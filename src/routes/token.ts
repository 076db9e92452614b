import type { FastifyPluginAsync } from 'fastify'
import { OAuthError } from '../errors/oauth-errors.js'
import { handleTokenRequest } from '../grants/token-endpoint.js'
import type { RouteOptions } from './deps.js'
import { requestFacts } from './request-facts.js'

/** POST /oauth/token (RFC 6749 §3.2): JSON responses that are never cached. */
export const tokenRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.post('/oauth/token', async (request, reply) => {
    const body = request.body ?? {}
    try {
      const { response, clientId, grantType, userId, jti } = await handleTokenRequest(deps, body, request.headers.authorization, requestFacts(request))
      request.log.info({ client_id: clientId, grant_type: grantType }, `token: issued ${grantType} tokens to ${clientId}${response.scope ? ` (${response.scope})` : ''}`)
      const issued = (['access_token', 'id_token', 'refresh_token'] as const).filter((name) => response[name] !== undefined)
      deps.events.record({
        kind: 'token.issued',
        client_id: clientId,
        user_id: userId,
        summary: `${grantType}: issued ${issued.join(', ')}`,
        detail: `scope granted: ${response.scope ?? '(none)'}; access token jti ${jti}`,
      })
      return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(response)
    } catch (err) {
      if (err instanceof OAuthError) {
        const grantType = textField(body, 'grant_type') ?? '(no grant_type)'
        deps.events.record({ kind: 'token.error', client_id: claimedClientId(body, request.headers.authorization), summary: `${grantType}: ${err.error}: ${err.message}` })
      }
      throw err
    }
  })
}

const textField = (body: unknown, name: string): string | undefined => {
  const value = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' && value.length <= 128 ? value : undefined
}

/** For the event log only: the client the failed request named (client_id, or the user part of Basic). */
function claimedClientId(body: unknown, authorization: string | undefined): string | undefined {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '')?.[1]
  if (basic === undefined) return textField(body, 'client_id')
  const decoded = Buffer.from(basic, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  // without the colon there is no telling the id from the secret: record neither
  if (colon < 1) return undefined
  try {
    return decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '))
  } catch {
    return undefined
  }
}
