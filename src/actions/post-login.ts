// The post-login trigger as a token-plan stage. It runs on every flow that authenticates a user, as
// Auth0's does: /authorize (after login and consent, before tokens are minted), the password grant
// and refresh token exchange (event.transaction.protocol "oauth2-refresh-token"). A code exchange
// keeps the plan its /authorize made. A redirect pauses /authorize until /continue; in a flow
// without a browser (prompt=none, the token endpoint) it is interaction_required, as in Auth0's v3.
import { splitList } from '../authorize/params.js'
import { AccessDenied, OAuthError } from '../errors/oauth-errors.js'
import type { StoredUser } from '../tenant/users.js'
import type { TokenCall, TokenPlan } from '../tokens/plan.js'
import { epochSeconds } from '../util/clock.js'
import { applyClaim, checkClaimsSize } from './claims.js'
import { ActionsRedirect, changeScope, noEffects, replayEffects, type ActionEffects, type ActionsPause } from './continuation.js'
import { postLoginEvent, type PostLoginEvent } from './event.js'
import { actionLabel, execute, type ActionsDeps } from './execute.js'
import type { LoadedAction } from './load.js'
import type { Command, HandlerName } from './protocol.js'
import { countLogin, roleNamesOf, saveMetadataChanges, withChanges, type UserWithLogins } from './user-record.js'

/** Where a resumed login takes up again. */
export interface Resume {
  pause: ActionsPause
  /** the /continue state, which a token sent back must name */
  state: string
}

const POST_LOGIN_FLOWS: ReadonlySet<TokenCall['trigger']> = new Set(['authorize', 'password', 'refresh_token'])

export async function runPostLogin(deps: ActionsDeps, actions: readonly LoadedAction[], call: TokenCall, plan: TokenPlan, resume?: Resume): Promise<void> {
  if (actions.length === 0 || !POST_LOGIN_FLOWS.has(call.trigger) || call.user === undefined) return
  const { store, clock } = deps
  if (resume !== undefined && resume.pause.userId !== call.user.user_id) {
    throw new AccessDenied('the login paused by an Action was started by another user')
  }
  const effects = resume === undefined ? noEffects() : structuredClone(resume.pause.effects)
  if (resume !== undefined) replayEffects(plan, effects)

  // The flow read the user from the store just now.
  const stored = call.user as UserWithLogins
  const authTime = authTimeOf(deps, call)
  const user = resume === undefined && call.trigger !== 'refresh_token' ? await countLogin(store, stored, loginAt(deps, call, authTime)) : stored
  const base = postLoginEvent({
    call,
    user,
    roles: await roleNamesOf(store, user.user_id),
    loginsCount: user.logins_count ?? 0,
    authTime,
    scopes: plan.scopes,
    tenant: deps.tenantId,
  })

  for (let step = resume?.pause.step ?? 0; step < actions.length; step++) {
    const action = actions[step]!
    const handler: HandlerName = resume !== undefined && step === resume.pause.step ? 'onContinuePostLogin' : 'onExecutePostLogin'
    // each Action sees the metadata changes of those before it, and its own secrets
    const event: PostLoginEvent = {
      ...base,
      user: { ...base.user, ...metadataOf(withChanges(user, effects.metadata)) },
      secrets: { ...action.config.secrets },
    }
    const commands = await execute(deps, {
      action,
      handler,
      event,
      context: { tokenIssuer: deps.tokenIssuer, userId: user.user_id, ...(resume === undefined ? {} : { continueState: resume.state }) },
      flow: { client_id: call.client.client_id, user_id: user.user_id, state: call.authorize?.state },
    })
    const asked = applyCommands(deps, action, handler, commands, call, plan, effects)
    if (asked.deny !== undefined) {
      // Auth0: a denial does not undo the Action's metadata changes.
      await saveMetadataChanges(store, user.user_id, effects.metadata, clock.now())
      throw new AccessDenied(asked.deny)
    }
    if (asked.redirect !== undefined) {
      pauseFor(action, handler, call, asked.redirect, { step, action: action.config.name, userId: user.user_id, sessionId: call.sessionId, effects })
    }
  }
  checkClaimsSize('access', effects.accessClaims)
  checkClaimsSize('id', effects.idClaims)
  await saveMetadataChanges(store, user.user_id, effects.metadata, clock.now())
}

const metadataOf = (user: StoredUser) => ({ app_metadata: { ...user.app_metadata }, user_metadata: { ...user.user_metadata } })

/** When the user authenticated: the session's start at /authorize, now for a password grant. */
const authTimeOf = (deps: ActionsDeps, call: TokenCall): number | undefined =>
  call.trigger === 'password' ? epochSeconds(deps.clock) : call.authTime

const loginAt = (deps: ActionsDeps, call: TokenCall, authTime: number | undefined) =>
  call.trigger === 'password' || authTime === undefined ? { ms: deps.clock.now(), always: true } : { ms: authTime * 1000, always: false }

interface Asked {
  deny?: string
  redirect?: { url: string; query: Record<string, string> }
}

/** Applies what one Action asked for to the plan and the flow's effects; says whether it denied or redirected. */
function applyCommands(
  deps: ActionsDeps,
  action: LoadedAction,
  handler: HandlerName,
  commands: readonly Command[],
  call: TokenCall,
  plan: TokenPlan,
  effects: ActionEffects,
): Asked {
  const asked: Asked = {}
  const label = actionLabel(action, handler)
  for (const command of commands) {
    switch (command.type) {
      case 'deny':
        asked.deny ??= command.reason
        break
      case 'claim': {
        const targets = command.token === 'access' ? [plan.accessClaims, effects.accessClaims] : [plan.idClaims, effects.idClaims]
        applyClaim(deps, label, command, call.api?.identifier, targets)
        break
      }
      case 'scope':
        changeScope(plan, command.change, command.scope)
        effects.scopeChanges.push({ change: command.change, scope: command.scope })
        break
      case 'metadata':
        effects.metadata[command.field][command.name] = command.value
        break
      case 'redirect':
        asked.redirect = { url: command.url, query: command.query }
        break
    }
  }
  return asked
}

/** Pauses the login at the Action's redirect, where a browser can follow it. */
function pauseFor(action: LoadedAction, handler: HandlerName, call: TokenCall, redirect: NonNullable<Asked['redirect']>, pause: ActionsPause): never {
  const label = actionLabel(action, handler)
  if (call.trigger !== 'authorize') {
    throw new OAuthError('interaction_required', `${label} called api.redirect.sendUserTo, which a ${call.trigger} token request cannot follow`)
  }
  if (splitList(call.authorize?.prompt).includes('none')) {
    throw new OAuthError('interaction_required', `${label} called api.redirect.sendUserTo, which prompt=none does not allow`)
  }
  if (!/^https?:\/\//i.test(redirect.url) || !URL.canParse(redirect.url)) {
    throw new OAuthError('server_error', `${label} called api.redirect.sendUserTo with ${JSON.stringify(redirect.url)}, which is not an http(s) URL`, 500)
  }
  if (!action.handlers.has('onContinuePostLogin')) {
    throw new OAuthError('server_error', `${label} redirects the user but does not export onContinuePostLogin, where the login would continue`, 500)
  }
  throw new ActionsRedirect(redirect.url, redirect.query, pause)
}
