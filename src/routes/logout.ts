import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { OAuthError } from '../errors/oauth-errors.js'
import type { Session } from '../interaction/models.js'
import { checkAuth0Logout } from '../logout/auth0-logout.js'
import type { LogoutOutcome } from '../logout/outcome.js'
import { checkEndSessionRequest } from '../logout/rp-initiated-logout.js'
import { SESSION_COOKIE, sessionCookieOptions, type AppDeps, type RouteOptions } from './deps.js'
import { sendErrorPage } from './error-page.js'
import { sendPage } from './pages.js'

const NOT_ALLOWED_HINT =
  "Logout only redirects to a URL listed exactly in the client's allowed_logout_urls in the Gatehouse config. You are still signed in."

/** Auth0's GET /v2/logout and OIDC RP-Initiated Logout at /oidc/logout: both end the Gatehouse session. */
export const logoutRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.get('/v2/logout', (request, reply) => logOut(request, reply, deps, request.query, () => checkAuth0Logout(deps.store, request.query)))
  app.route({
    method: ['GET', 'POST'],
    url: '/oidc/logout',
    handler: (request, reply) => {
      const params = request.method === 'POST' ? request.body : request.query
      return logOut(request, reply, deps, params, () => checkEndSessionRequest(deps, params))
    },
  })
}

async function logOut(request: FastifyRequest, reply: FastifyReply, deps: AppDeps, params: unknown, check: () => Promise<LogoutOutcome>) {
  let outcome: LogoutOutcome
  try {
    outcome = await check()
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err
    // An invalid request may be forged by another site: neither redirect nor end the session.
    request.log.info({ error: err.error }, `logout: ${err.message} (shown as a page, session kept)`)
    deps.events.record({ kind: 'logout', client_id: textParam(params, 'client_id'), summary: `logout refused: ${err.error}: ${err.message}`, detail: 'shown as a page; the session is kept' })
    return sendErrorPage(reply, deps, err, 400, err.error === 'invalid_client' ? undefined : NOT_ALLOWED_HINT)
  }
  const sessionId = request.cookies[SESSION_COOKIE]
  const session = sessionId === undefined ? undefined : await deps.store.get<Session>('session', sessionId)
  if (sessionId !== undefined) {
    await deps.store.delete('session', sessionId)
    reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(deps))
  }
  deps.events.record({
    kind: 'logout',
    client_id: outcome.clientId,
    user_id: session?.sub,
    summary: session ? `${session.sub} signed out: the session ended` : 'logout without a session',
    detail: outcome.redirect ? `redirected to ${outcome.redirect}` : 'showing the signed-out page',
  })
  request.log.info(`logout: session ${sessionId === undefined ? 'absent' : 'ended'}; ${outcome.redirect ? `redirecting to ${outcome.redirect}` : 'showing the signed-out page'}`)
  if (outcome.redirect !== undefined) return reply.header('Cache-Control', 'no-store').redirect(outcome.redirect, 302)
  return sendPage(reply, 'logged-out', {
    title: 'Signed out',
    issuer: deps.config.issuer,
    heading: 'You are signed out',
    message: 'Your Gatehouse session has ended.',
    hint: outcome.clientName === undefined ? 'You can close this window.' : `You can go back to ${outcome.clientName}.`,
  })
}

/** client_id for the event log of a refused request, which may be why it was refused: a repeated or odd value is left out. */
const textParam = (params: unknown, name: string): string | undefined => {
  const value = params !== null && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}
