import type { FastifyPluginAsync } from 'fastify'
import type { Client } from '../config/types.js'
import { InvalidRequest } from '../errors/oauth-errors.js'
import { formFromThisPage, loadInteraction } from '../interaction/interactions.js'
import { logIn } from '../interaction/login.js'
import type { Interaction } from '../interaction/models.js'
import { pathOf, resumePath, SESSION_COOKIE, sessionCookieOptions, type AppDeps, type RouteOptions } from './deps.js'
import { sendErrorPage, sendExpiredPage } from './error-page.js'
import { seeOther, sendPage } from './pages.js'

interface LoginBody {
  username?: unknown
  password?: unknown
  csrf?: unknown
}

/** The login page: username or email and password; success starts a session and resumes /authorize. */
export const loginRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.get<{ Params: { uid: string } }>('/login/:uid', async (request, reply) => {
    const interaction = await loadInteraction(deps.store, request.params.uid)
    if (!interaction) return sendExpiredPage(reply, deps)
    return renderLogin(reply, deps, interaction, interaction.params.login_hint ?? '')
  })

  app.post<{ Params: { uid: string }; Body: LoginBody | undefined }>('/login/:uid', async (request, reply) => {
    const interaction = await loadInteraction(deps.store, request.params.uid)
    if (!interaction) return sendExpiredPage(reply, deps)
    const body = request.body ?? {}
    if (!formFromThisPage(request.headers, interaction, body.csrf)) {
      request.log.warn('login: form not sent from this login page (CSRF token or origin)')
      return sendErrorPage(reply, deps, new InvalidRequest('the form was not sent from this login page (CSRF token mismatch)'), 403)
    }
    const result = await logIn(deps, interaction, body, request.cookies[SESSION_COOKIE])
    if (!result.ok) {
      request.log.info(`login: failed for ${JSON.stringify(String(body.username ?? ''))}: ${result.message}`)
      const username = typeof body.username === 'string' ? body.username : ''
      return renderLogin(reply, deps, interaction, username, result.message, 400)
    }
    request.log.info(`login: ${result.session.sub} signed in`)
    reply.setCookie(SESSION_COOKIE, result.session.id, { ...sessionCookieOptions(deps), maxAge: deps.config.ttl.session })
    return seeOther(reply, resumePath(deps, interaction.uid))
  })
}

async function renderLogin(
  reply: Parameters<typeof sendPage>[0],
  deps: AppDeps,
  interaction: Interaction,
  username: string,
  error?: string,
  status = 200,
) {
  const client = await deps.store.get<Client>('client', interaction.clientId)
  const demoUsers = deps.config.demo
    ? deps.config.tenant.users.map((user) => ({ username: user.username ?? user.email, password: user.password }))
    : []
  return sendPage(
    reply,
    'login',
    {
      title: 'Log in',
      issuer: deps.config.issuer,
      action: pathOf(deps, `login/${interaction.uid}`),
      csrf: interaction.csrf,
      clientName: client?.name ?? interaction.clientId,
      username,
      error,
      reason: interaction.reason,
      demoUsers,
    },
    { status },
  )
}
