import type { FastifyPluginAsync } from 'fastify'
import { decodeJwt } from 'jose'
import { createAppointmentsApi, demoApiChallenge } from '../demo-api/appointments.js'
import { DEMO_API_PATH } from '../demo-api/constants.js'
import { readBearerToken } from '../userinfo/bearer.js'
import { OAuthError } from '../errors/oauth-errors.js'
import { challengeOnError } from './challenge.js'
import type { AppDeps, RouteOptions } from './deps.js'

/** GET <issuer>demo-api/appointments: a resource server that accepts only good bearer tokens (RFC 6750). */
export const demoApiRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  const api = createAppointmentsApi({ keys: deps.keystore.verifier, clock: deps.clock, issuer: deps.config.issuer })
  challengeOnError(app, demoApiChallenge)

  app.get(`/${DEMO_API_PATH}`, async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    const token = readBearerToken({ authorization: request.headers.authorization, body: undefined, formEncoded: false, query: request.query })
    // No credentials at all: a bare challenge, no error code (RFC 6750 §3.1).
    if (token === undefined) {
      return reply
        .code(401)
        .header('WWW-Authenticate', demoApiChallenge())
        .send({ error_description: 'no access token: send it in the Authorization header as "Bearer <token>"' })
    }
    try {
      const answer = await api.read(token)
      deps.events.record({ kind: 'api.allowed', client_id: answer.client_id, summary: `the demo API answered 200 to ${answer.sub}`, detail: answer.checked.join('; ') })
      return answer
    } catch (err) {
      if (err instanceof OAuthError) recordRefusal(deps, token, err)
      throw err
    }
  })
}

/** A refused token is not trusted, so its client is read unverified, and kept only when it looks like a client_id. */
function recordRefusal(deps: AppDeps, token: string, err: OAuthError): void {
  let named: unknown
  try {
    const payload = decodeJwt(token)
    named = payload.azp ?? payload.client_id
  } catch {
    named = undefined
  }
  const client_id = typeof named === 'string' && /^[\w.@:|-]{1,128}$/.test(named) ? named : undefined
  deps.events.record({ kind: 'api.refused', client_id, summary: `the demo API refused the token (${err.status} ${err.error})`, detail: err.message })
}
