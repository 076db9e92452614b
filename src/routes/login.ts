import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Client } from '../config/types.js'
import { InvalidRequest } from '../errors/oauth-errors.js'
import { formFromThisPage, loadInteraction, loginFormToken } from '../interaction/interactions.js'
import { logIn, logInAs, type LoginField, type LoginResult } from '../interaction/login.js'
import type { Interaction, Session } from '../interaction/models.js'
import {
  crossSiteCookieAttributes,
  pathOf,
  resumePath,
  SESSION_COOKIE,
  sessionCookieOptions,
  type AppDeps,
  type RouteOptions,
} from './deps.js'
import { sendErrorPage, sendExpiredPage } from './error-page.js'
import { seeOther, sendPage } from './pages.js'

interface LoginBody {
  username?: unknown
  password?: unknown
  csrf?: unknown
}

/** Names the browser a login page was shown to: only that browser can post the page's form. */
export const LOGIN_BROWSER_COOKIE = 'gatehouse_login'

const browserIdOf = (request: FastifyRequest): string | undefined => {
  const value = request.cookies[LOGIN_BROWSER_COOKIE]
  return value !== undefined && /^[\w-]{16,128}$/.test(value) ? value : undefined
}

/** Sent only to the login pages, and kept as long as an interaction lasts. */
const loginCookieOptions = (deps: AppDeps) =>
  ({
    path: pathOf(deps, 'login/'),
    httpOnly: true,
    ...crossSiteCookieAttributes(deps),
    maxAge: deps.config.ttl.interaction,
  }) as const

/** The login page: username or email and password; success starts a session and resumes /authorize. */
export const loginRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.get<{ Params: { uid: string } }>('/login/:uid', async (request, reply) => {
    const interaction = await loadInteraction(deps.store, request.params.uid)
    if (!interaction) return sendExpiredPage(reply, deps)
    // Test controls only: a login_as scenario signs its user in without showing the page.
    const heldUser = deps.scenarios?.takeHeldLogin(interaction.uid)
    let error: string | undefined
    if (heldUser !== undefined) {
      const held = await logInAs(deps, interaction, heldUser, { previousSessionId: request.cookies[SESSION_COOKIE] })
      if (held.ok) return signedIn(request, reply, deps, interaction, held.session, 'by a test scenario (login_as), without the login page')
      recordFailure(request, deps, interaction, held, heldUser)
      error = held.message
    }
    // One id per browser, shared by its open login pages; each page view renews it.
    const browserId = browserIdOf(request) ?? deps.newId()
    reply.setCookie(LOGIN_BROWSER_COOKIE, browserId, loginCookieOptions(deps))
    const csrf = loginFormToken(interaction, browserId)
    return renderLogin(reply, deps, interaction, { csrf, username: interaction.params.login_hint ?? '', error }, error === undefined ? 200 : 400)
  })

  app.post<{ Params: { uid: string }; Body: LoginBody | undefined }>('/login/:uid', async (request, reply) => {
    const interaction = await loadInteraction(deps.store, request.params.uid)
    if (!interaction) return sendExpiredPage(reply, deps)
    const body = request.body ?? {}
    const browserId = browserIdOf(request)
    const csrf = browserId === undefined ? undefined : loginFormToken(interaction, browserId)
    if (csrf === undefined || !formFromThisPage(request.headers, csrf, body.csrf)) {
      request.log.warn('login: form not sent from this login page in this browser (CSRF token, login cookie or origin)')
      return sendErrorPage(reply, deps, new InvalidRequest('the form was not sent from this login page (CSRF token mismatch)'), 403)
    }
    const previousSessionId = request.cookies[SESSION_COOKIE]
    const result = await logIn(deps, interaction, body, { ip: request.ip, previousSessionId })
    if (!result.ok) {
      const username = typeof body.username === 'string' ? body.username : ''
      recordFailure(request, deps, interaction, result, username)
      const status = result.status ?? (result.reason === 'blocked' ? 429 : 400)
      return renderLogin(reply, deps, interaction, { csrf, username, error: result.message, invalid: result.invalid }, status)
    }
    return signedIn(request, reply, deps, interaction, result.session, 'with a password')
  })
}

type LoginFailure = Extract<LoginResult, { ok: false }>

function recordFailure(request: FastifyRequest, deps: AppDeps, interaction: Interaction, result: LoginFailure, username: string) {
  request.log.info(`login: failed for ${JSON.stringify(username)} from ${request.ip}: ${result.message}`)
  deps.events.record({ kind: 'login.failed', client_id: interaction.clientId, user_id: result.userId, state: interaction.params.state, summary: `sign-in failed: ${result.message}`, detail: `reason: ${result.reason}` })
}

/** A session starts: its cookie is set and /authorize resumes. */
function signedIn(request: FastifyRequest, reply: FastifyReply, deps: AppDeps, interaction: Interaction, session: Session, how: string) {
  request.log.info(`login: ${session.sub} signed in ${how}`)
  deps.events.record({ kind: 'login.succeeded', client_id: interaction.clientId, user_id: session.sub, state: interaction.params.state, summary: `${session.sub} signed in: a session starts, and its cookie is set`, detail: `signed in ${how}` })
  reply.setCookie(SESSION_COOKIE, session.id, { ...sessionCookieOptions(deps), maxAge: deps.config.ttl.session })
  return seeOther(reply, resumePath(deps, interaction.uid))
}

interface LoginForm {
  csrf: string
  username: string
  error?: string
  /** fields marked aria-invalid */
  invalid?: LoginField[]
}

async function renderLogin(reply: FastifyReply, deps: AppDeps, interaction: Interaction, form: LoginForm, status = 200) {
  const client = await deps.store.get<Client>('client', interaction.clientId)
  const demoUsers = deps.config.demo
    ? deps.config.tenant.users.map((user) => ({ username: user.username ?? user.email, password: user.password }))
    : []
  const invalid = form.invalid ?? []
  // After an error the cursor waits where the fix goes: the password, unless the username is missing.
  const focus: LoginField = form.error === undefined || (invalid.includes('username') && form.username.trim() === '') ? 'username' : 'password'
  return sendPage(
    reply,
    'login',
    {
      title: 'Log in',
      issuer: deps.config.issuer,
      action: pathOf(deps, `login/${interaction.uid}`),
      csrf: form.csrf,
      clientName: client?.name ?? interaction.clientId,
      username: form.username,
      error: form.error,
      usernameInvalid: invalid.includes('username'),
      passwordInvalid: invalid.includes('password'),
      focus,
      reason: interaction.reason,
      demoUsers,
    },
    { status },
  )
}
