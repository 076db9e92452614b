import type { User } from '../../config/types.js'
import type { Session } from '../../interaction/models.js'
import { refuseIfBlocked } from '../../tenant/users.js'
import { epochSeconds } from '../../util/clock.js'
import type { AuthorizeContext } from '../context.js'
import { requireInteraction } from '../interaction-needed.js'

// Finds the signed-in user; prompt=login and max_age ask for a login newer than this request.
export async function checkSession(ctx: AuthorizeContext): Promise<void> {
  const { store, clock } = ctx.deps
  const session = ctx.sessionId ? await store.get<Session>('session', ctx.sessionId) : undefined
  const user = session ? await store.get<User>('user', session.sub) : undefined
  const loggedInJustNow = session !== undefined && ctx.interaction?.loginSession === session.id

  let reason: string | undefined
  if (!session || !user) reason = 'no session'
  // A login within this interaction stands even as another user: the user chose.
  else if (ctx.idTokenHintSub !== undefined && ctx.idTokenHintSub !== user.user_id && !loggedInJustNow)
    reason = "the session's user is not the user id_token_hint names"
  else if (ctx.prompts.has('login') && !loggedInJustNow) reason = 'prompt=login asks for a new login'
  else if (ctx.maxAge !== undefined && !loggedInJustNow) {
    const age = epochSeconds(clock) - session.authTime
    // max_age=0 asks for a fresh login even within the same second, like prompt=login.
    if (ctx.maxAge === 0 || age > ctx.maxAge) reason = `last login ${age}s ago is older than max_age=${ctx.maxAge}`
  }
  if (reason !== undefined) requireInteraction(ctx, 'login', reason)
  // Blocked after signing in (through the Management API): Auth0 ends the flow at the redirect_uri.
  refuseIfBlocked(user!)
  ctx.session = session
  ctx.user = user
}
