import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import type { Client, ResourceServer, User } from '../config/types.js'
import { InvalidRequest } from '../errors/oauth-errors.js'
import { decideConsent, describeConsent } from '../interaction/consent.js'
import { formFromThisPage, formToken, loadInteraction } from '../interaction/interactions.js'
import type { Interaction, Session } from '../interaction/models.js'
import { pathOf, resumePath, SESSION_COOKIE, type AppDeps, type RouteOptions } from './deps.js'
import { sendErrorPage, sendExpiredPage } from './error-page.js'
import { seeOther, sendPage } from './pages.js'

interface ConsentBody {
  decision?: unknown
  csrf?: unknown
}

/** The consent page: what the client learns about the user and what it may do at the API, with Allow and Deny. */
export const consentRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  const resume = (reply: FastifyReply, interaction: Interaction) => seeOther(reply, resumePath(deps, interaction.uid))

  app.get<{ Params: { uid: string } }>('/consent/:uid', async (request, reply) => {
    const interaction = await loadInteraction(deps.store, request.params.uid)
    if (!interaction) return sendExpiredPage(reply, deps)
    const session = await sessionOf(deps, request.cookies[SESSION_COOKIE])
    // Without a session the pipeline sends the user to the login page first.
    if (!session) return resume(reply, interaction)
    return renderConsent(reply, deps, interaction, session)
  })

  app.post<{ Params: { uid: string }; Body: ConsentBody | undefined }>('/consent/:uid', async (request, reply) => {
    const interaction = await loadInteraction(deps.store, request.params.uid)
    if (!interaction) return sendExpiredPage(reply, deps)
    const body = request.body ?? {}
    const session = await sessionOf(deps, request.cookies[SESSION_COOKIE])
    // The token is bound to the session the page was shown to: another user's page cannot decide for this one.
    if (!formFromThisPage(request.headers, formToken(interaction, session?.id), body.csrf)) {
      request.log.warn('consent: form not sent from this consent page (CSRF token, session or origin)')
      return sendErrorPage(reply, deps, new InvalidRequest('the form was not sent from this consent page (CSRF token mismatch)'), 403)
    }
    if (body.decision !== 'allow' && body.decision !== 'deny') {
      return sendErrorPage(reply, deps, new InvalidRequest('decision must be allow or deny'), 400)
    }
    if (!session) return resume(reply, interaction)
    await decideConsent(deps, interaction, session, body.decision)
    request.log.info(`consent: ${session.sub} chose ${body.decision} for ${interaction.clientId} (${interaction.scopes.join(' ')})`)
    deps.events.record({
      kind: body.decision === 'allow' ? 'consent.allowed' : 'consent.denied',
      client_id: interaction.clientId,
      user_id: session.sub,
      state: interaction.params.state,
      summary: `${session.sub} chose ${body.decision === 'allow' ? 'Allow' : 'Deny'} on the consent page`,
      detail: `${body.decision === 'allow' ? 'granted' : 'refused'}: ${interaction.scopes.join(' ') || '(no scopes)'}${interaction.audience ? ` at ${interaction.audience}` : ''}`,
    })
    return resume(reply, interaction)
  })
}

const sessionOf = async (deps: AppDeps, id: string | undefined) =>
  id === undefined ? undefined : deps.store.get<Session>('session', id)

async function renderConsent(reply: FastifyReply, deps: AppDeps, interaction: Interaction, session: Session) {
  const { store } = deps
  const client = await store.get<Client>('client', interaction.clientId)
  const api = interaction.audience ? await store.get<ResourceServer>('resource_server', interaction.audience) : undefined
  const user = await store.get<User>('user', session.sub)
  return sendPage(reply, 'consent', {
    title: 'Authorize',
    issuer: deps.config.issuer,
    action: pathOf(deps, `consent/${interaction.uid}`),
    csrf: formToken(interaction, session.id),
    clientName: client?.name ?? interaction.clientId,
    userName: user?.name ?? user?.email ?? session.sub,
    ...describeConsent(interaction.scopes, api),
    reason: interaction.reason,
  })
}
