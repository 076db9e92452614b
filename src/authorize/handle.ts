import { ActionsRedirect, resumedStages, type ActionsPause } from '../actions/continuation.js'
import { clientHasWebOrigin } from '../cors/web-origins.js'
import { OAuthError } from '../errors/oauth-errors.js'
import { updateInteraction } from '../interaction/interactions.js'
import type { Interaction, Prompt } from '../interaction/models.js'
import type { AuthorizeContext, AuthorizeDeps, ResponseModeName } from './context.js'
import { createContext } from './context.js'
import { InteractionNeeded } from './interaction-needed.js'
import { issueAuthorizationResponse } from './issue.js'
import { paramsToResume, parseAuthorizeParams, splitList } from './params.js'
import { runSteps } from './pipeline.js'
import { responseModes, type AuthorizeReply } from './response-modes/index.js'
import type { RequestFacts } from '../tokens/plan.js'

export type AuthorizeOutcome =
  | { type: 'error-page'; error: OAuthError }
  /** the resumed interaction was completed meanwhile (a second tab, a double submit, another replica) */
  | { type: 'expired' }
  | { type: 'interaction'; prompt: Prompt; uid: string; reason: string }
  /** an Action sent the user to its page; the login goes on at /continue?state=<uid> */
  | { type: 'action-redirect'; location: string; uid: string; reason: string }
  | {
      type: 'reply'
      reply: AuthorizeReply
      reason: string
      error?: OAuthError
      /** what was granted, on success */
      scopes?: string[]
      /** the signed-in user, when one is known */
      userId?: string
    }

export interface AuthorizeInput {
  /** query or form body */
  raw: unknown
  sessionId?: string
  /** when resuming after a page */
  interaction?: Interaction
  /** the HTTP request, for the token plan's stages */
  request?: RequestFacts
  /** when resuming at /continue a login an Action paused: where, and the state it was paused under */
  resume?: { pause: ActionsPause; state: string }
}

/** A login paused by an Action: an interaction (so it expires and is claimed once like the others) with what the Actions did. */
export interface PausedInteraction extends Interaction {
  actionsPause: ActionsPause
}

/** Runs one /authorize request (or its resumption) to an outcome the route turns into HTTP. */
export async function authorize(deps: AuthorizeDeps, input: AuthorizeInput): Promise<AuthorizeOutcome> {
  // A resumed login: the Actions stage takes up where its Action paused; every other stage runs as usual.
  const stages = input.resume === undefined ? deps : { ...deps, tokenStages: resumedStages(deps.tokenStages ?? [], input.resume.pause, input.resume.state) }
  const ctx = createContext(stages, parseAuthorizeParams(input.raw), input.sessionId, input.interaction, input.request)
  try {
    await runSteps(ctx)
    if (!(await claimInteraction(ctx))) return { type: 'expired' }
    const params = await issueAuthorizationResponse(ctx)
    return { type: 'reply', reply: respond(ctx, params), reason: issuedReason(ctx), scopes: ctx.scopes, userId: ctx.user?.user_id }
  } catch (err) {
    if (err instanceof InteractionNeeded) {
      const uid = await saveInteraction(ctx, err)
      return { type: 'interaction', prompt: err.prompt, uid, reason: err.message }
    }
    if (err instanceof ActionsRedirect) {
      const uid = await savePause(ctx, err)
      return { type: 'action-redirect', location: err.location(uid), uid, reason: err.message }
    }
    const error = err instanceof OAuthError ? err : undefined
    if (!error) throw err
    if (!error.redirectable || ctx.redirectUri === undefined) return { type: 'error-page', error }
    await finishInteraction(ctx)
    const reply = respond(ctx, { error: error.error, error_description: error.message })
    return { type: 'reply', reply, reason: `${error.error}: ${error.message}`, error, userId: ctx.user?.user_id }
  }
}

function respond(ctx: AuthorizeContext, params: Record<string, string>): AuthorizeReply {
  const state = ctx.params.state
  const mode = responseModes[ctx.responseMode ?? fallbackMode(ctx)]
  return mode(ctx.redirectUri!, state === undefined ? params : { ...params, state })
}

// Errors found before response_mode was checked go the way the client asked, or the response type implies.
function fallbackMode(ctx: AuthorizeContext): ResponseModeName {
  const asked = ctx.params.response_mode
  if (asked === 'form_post' || asked === 'fragment') return asked
  // A silent-auth iframe only hears answers posted to it, errors included.
  if (asked === 'web_message' && ctx.client && clientHasWebOrigin(ctx.client, new URL(ctx.redirectUri!).origin)) return asked
  return splitList(ctx.params.response_type).some((type) => type === 'token' || type === 'id_token') ? 'fragment' : 'query'
}

function issuedReason(ctx: AuthorizeContext): string {
  const what = [...ctx.responseTypes].join(' ')
  const scopes = ctx.scopes.length > 0 ? ctx.scopes.join(' ') : 'no scopes'
  return `issued ${what} to ${ctx.client!.client_id} for ${ctx.user!.user_id} (${scopes}) by ${ctx.responseMode}`
}

async function saveInteraction(ctx: AuthorizeContext, need: InteractionNeeded): Promise<string> {
  const { store, newId, clock, config } = ctx.deps
  const interaction: Interaction = {
    ...ctx.interaction,
    uid: ctx.interaction?.uid ?? newId(),
    csrf: ctx.interaction?.csrf ?? newId(),
    params: paramsToResume(ctx.params),
    clientId: ctx.client!.client_id,
    audience: ctx.api?.identifier,
    scopes: ctx.scopes,
    prompt: need.prompt,
    reason: need.message,
    createdAt: ctx.interaction?.createdAt ?? clock.now(),
  }
  // A resumed interaction keeps its original deadline.
  await updateInteraction(store, interaction, config.ttl.interaction, clock.now())
  return interaction.uid
}

/**
 * Keeps the paused login under a new uid, the state the Action's page sends back to /continue. The
 * interaction it resumed (if any) was claimed already; its login and consent answers carry over.
 */
async function savePause(ctx: AuthorizeContext, redirect: ActionsRedirect): Promise<string> {
  const { store, newId, clock, config } = ctx.deps
  const paused: PausedInteraction = {
    ...ctx.interaction,
    uid: newId(),
    csrf: newId(),
    params: paramsToResume(ctx.params),
    clientId: ctx.client!.client_id,
    audience: ctx.api?.identifier,
    scopes: ctx.scopes,
    prompt: 'login',
    reason: redirect.message,
    createdAt: clock.now(),
    actionsPause: redirect.pause,
  }
  await updateInteraction(store, paused, config.ttl.interaction, clock.now())
  return paused.uid
}

/** A resumed interaction ends once: whoever consumes it issues, across replicas too. */
async function claimInteraction(ctx: AuthorizeContext): Promise<boolean> {
  if (!ctx.interaction) return true
  return (await ctx.deps.store.consume('interaction', ctx.interaction.uid)) !== undefined
}

async function finishInteraction(ctx: AuthorizeContext): Promise<void> {
  if (ctx.interaction) await ctx.deps.store.delete('interaction', ctx.interaction.uid)
}
