import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { authorize, type AuthorizeOutcome } from '../authorize/handle.js'
import { loadInteraction } from '../interaction/interactions.js'
import { pathOf, SESSION_COOKIE, type AppDeps, type RouteOptions } from './deps.js'
import { sendErrorPage, sendExpiredPage } from './error-page.js'
import { seeOther, sendPage } from './pages.js'

/** The hint of the "expired" page, with the configured interaction lifetime. */
export function expiredHint(deps: AppDeps): string {
  const seconds = deps.config.ttl.interaction
  const minutes = seconds / 60
  const lifetime = Number.isInteger(minutes) ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${seconds} seconds`
  return `Sign-in requests last ${lifetime} and can be completed once. Go back to the application and start again.`
}

/** GET|POST /authorize (and Auth0's legacy path), plus the resumption after the login and consent pages. */
export const authorizeRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  const start = async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = request.method === 'POST' ? request.body : request.query
    const outcome = await authorize(deps, { raw, sessionId: request.cookies[SESSION_COOKIE] })
    return sendOutcome(request, reply, deps, outcome)
  }
  app.route({ method: ['GET', 'POST'], url: '/authorize', handler: start })
  app.route({ method: ['GET', 'POST'], url: '/i/oauth2/authorize', handler: start })

  app.get<{ Params: { uid: string } }>('/authorize/resume/:uid', async (request, reply) => {
    const interaction = await loadInteraction(deps.store, request.params.uid)
    if (!interaction) return sendExpiredPage(reply, deps)
    const sessionId = request.cookies[SESSION_COOKIE]
    const outcome = await authorize(deps, { raw: interaction.params, sessionId, interaction })
    return sendOutcome(request, reply, deps, outcome)
  })
}

function sendOutcome(request: FastifyRequest, reply: FastifyReply, deps: AppDeps, outcome: AuthorizeOutcome) {
  switch (outcome.type) {
    case 'error-page':
      request.log.info({ error: outcome.error.error }, `authorize: ${outcome.error.message} (shown as a page, not redirected)`)
      return sendErrorPage(reply, deps, outcome.error)
    case 'interaction':
      request.log.info({ prompt: outcome.prompt }, `authorize: ${outcome.reason}`)
      return seeOther(reply, pathOf(deps, `${outcome.prompt}/${outcome.uid}`))
    case 'reply': {
      request.log.info(outcome.error ? { error: outcome.error.error } : {}, `authorize: ${outcome.reason}`)
      const { reply: response } = outcome
      if (response.type === 'redirect') return seeOther(reply, response.location)
      return sendPage(reply, response.view, response.data, { frameAncestors: response.frameAncestors })
    }
  }
}
