import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { authorize, type PausedInteraction } from '../authorize/handle.js'
import { InvalidRequest } from '../errors/oauth-errors.js'
import { loadInteraction } from '../interaction/interactions.js'
import { recordOutcome, sendOutcome } from './authorize.js'
import { SESSION_COOKIE, type RouteOptions } from './deps.js'
import { sendErrorPage, sendExpiredPage } from './error-page.js'
import { requestFacts } from './request-facts.js'

/**
 * GET|POST /continue?state=… (Auth0's path): where the page an Action sent the user to sends the
 * browser back. The paused login resumes in the same Action's onContinuePostLogin, which sees this
 * request (a session_token in its query or form body) as event.request.
 */
export const continueRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  const resume = async (request: FastifyRequest, reply: FastifyReply) => {
    const state = stateOf(request)
    if (state === undefined) {
      return sendErrorPage(reply, deps, new InvalidRequest('missing state: /continue needs the state the Action\'s redirect carried'))
    }
    const paused = (await loadInteraction(deps.store, state)) as Partial<PausedInteraction> | undefined
    if (paused === undefined) return sendExpiredPage(reply, deps)
    if (paused.actionsPause === undefined) return sendErrorPage(reply, deps, new InvalidRequest('the state names no login paused by an Action'))
    const sessionId = request.cookies[SESSION_COOKIE]
    // Only the browser the login was paused in may take it up.
    if (paused.actionsPause.sessionId !== undefined && sessionId !== paused.actionsPause.sessionId) {
      request.log.warn('continue: the session cookie is not the one the login was paused in')
      return sendErrorPage(reply, deps, new InvalidRequest('this login was paused in another browser session'), 403)
    }
    const interaction = paused as PausedInteraction
    const outcome = await authorize(deps, {
      raw: interaction.params,
      sessionId,
      interaction,
      request: requestFacts(request),
      resume: { pause: interaction.actionsPause, state },
    })
    recordOutcome(deps, outcome, { ...interaction.params, client_id: interaction.clientId })
    return sendOutcome(request, reply, deps, outcome)
  }
  app.route({ method: ['GET', 'POST'], url: '/continue', handler: resume })
}

/** The state, from the query or a form body; one short value. */
function stateOf(request: FastifyRequest): string | undefined {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.state
  const body = request.body
  const fromBody = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).state : undefined
  const state = fromQuery ?? fromBody
  return typeof state === 'string' && state !== '' && state.length <= 256 ? state : undefined
}
