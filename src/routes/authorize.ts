import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { authorize, type AuthorizeOutcome } from '../authorize/handle.js'
import type { AuthorizeParams } from '../authorize/params.js'
import { loadInteraction } from '../interaction/interactions.js'
import { pathOf, SESSION_COOKIE, type AppDeps, type RouteOptions } from './deps.js'
import { sendErrorPage, sendExpiredPage } from './error-page.js'
import { requestFacts } from './request-facts.js'
import { seeOther, sendPage } from './pages.js'

/** GET|POST /authorize (and Auth0's legacy path), plus the resumption after the login and consent pages. */
export const authorizeRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  const start = async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = request.method === 'POST' ? request.body : request.query
    const outcome = await authorize(deps, { raw, sessionId: request.cookies[SESSION_COOKIE], request: requestFacts(request, raw as Record<string, unknown>) })
    recordOutcome(deps, outcome, { client_id: textParam(raw, 'client_id'), state: textParam(raw, 'state'), scope: textParam(raw, 'scope') })
    return sendOutcome(request, reply, deps, outcome)
  }
  app.route({ method: ['GET', 'POST'], url: '/authorize', handler: start })
  app.route({ method: ['GET', 'POST'], url: '/i/oauth2/authorize', handler: start })

  app.get<{ Params: { uid: string } }>('/authorize/resume/:uid', async (request, reply) => {
    const interaction = await loadInteraction(deps.store, request.params.uid)
    if (!interaction) return sendExpiredPage(reply, deps)
    const sessionId = request.cookies[SESSION_COOKIE]
    const outcome = await authorize(deps, { raw: interaction.params, sessionId, interaction, request: requestFacts(request, interaction.params) })
    recordOutcome(deps, outcome, { ...interaction.params, client_id: interaction.clientId })
    return sendOutcome(request, reply, deps, outcome)
  })
}

export function sendOutcome(request: FastifyRequest, reply: FastifyReply, deps: AppDeps, outcome: AuthorizeOutcome) {
  switch (outcome.type) {
    case 'error-page':
      request.log.info({ error: outcome.error.error }, `authorize: ${outcome.error.message} (shown as a page, not redirected)`)
      return sendErrorPage(reply, deps, outcome.error)
    case 'expired':
      request.log.info('authorize: the sign-in request was already completed')
      return sendExpiredPage(reply, deps)
    case 'interaction':
      request.log.info({ prompt: outcome.prompt }, `authorize: ${outcome.reason}`)
      return seeOther(reply, pathOf(deps, `${outcome.prompt}/${outcome.uid}`))
    case 'action-redirect':
      request.log.info(`authorize: ${outcome.reason}; the login goes on at /continue`)
      return seeOther(reply, outcome.location)
    case 'reply': {
      request.log.info(outcome.error ? { error: outcome.error.error } : {}, `authorize: ${outcome.reason}`)
      const { reply: response } = outcome
      if (response.type === 'redirect') return seeOther(reply, response.location)
      return sendPage(reply, response.view, response.data, { frameAncestors: response.frameAncestors })
    }
  }
}

/** A parameter for the event log only: a repeated or odd value is left out (the pipeline decides what it means). */
const textParam = (raw: unknown, name: string): string | undefined => {
  const value = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** The decision, for the timeline: which page the user must see and why, what was issued, or which error. */
export function recordOutcome(deps: AppDeps, outcome: AuthorizeOutcome, request: Pick<AuthorizeParams, 'client_id' | 'state' | 'scope'>) {
  const { client_id, state } = request
  const asked = `scope asked for: ${request.scope ?? '(none)'}`
  switch (outcome.type) {
    case 'error-page':
      return deps.events.record({ kind: 'authorize.error-page', client_id, state, summary: `${outcome.error.error}: ${outcome.error.message}`, detail: 'shown as Gatehouse’s error page: the client or redirect_uri could not be trusted, so nothing goes back to the app' })
    case 'expired':
      return deps.events.record({ kind: 'authorize.error-page', client_id, state, summary: 'the sign-in request was already completed', detail: 'a sign-in request is completed once; this one was completed by an earlier request' })
    case 'interaction':
      return deps.events.record({ kind: 'authorize.interaction', client_id, state, summary: outcome.reason, detail: `the browser is sent to the ${outcome.prompt} page; ${asked}` })
    case 'action-redirect':
      return deps.events.record({ kind: 'authorize.interaction', client_id, state, summary: outcome.reason, detail: 'the login is paused until the browser comes back to /continue with the state it was given' })
    case 'reply':
      if (outcome.error) return deps.events.record({ kind: 'authorize.error', client_id, user_id: outcome.userId, state, summary: outcome.reason, detail: 'sent back to the redirect_uri' })
      return deps.events.record({ kind: 'authorize.issued', client_id, user_id: outcome.userId, state, summary: outcome.reason, detail: `${asked}${droppedScopes(request.scope, outcome.scopes ?? [])}` })
  }
}

/** Scopes asked for but not granted (offline_access without refresh tokens). */
function droppedScopes(asked: string | undefined, granted: string[]): string {
  const dropped = (asked ?? '').split(' ').filter((scope) => scope !== '' && !granted.includes(scope))
  return dropped.length > 0 ? `; dropped: ${dropped.join(' ')}` : ''
}
