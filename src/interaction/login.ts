import type { Config } from '../config/types.js'
import type { Store } from '../store/store.js'
import { verifyCredentials } from '../tenant/users.js'
import { epochSeconds, type Clock } from '../util/clock.js'
import type { IdGenerator } from '../util/ids.js'
import { updateInteraction } from './interactions.js'
import type { Interaction, Session } from './models.js'

export interface InteractionDeps {
  config: Config
  store: Store
  clock: Clock
  newId: IdGenerator
}

export type LoginResult = { ok: true; session: Session } | { ok: false; message: string }

/** Checks the credentials and, when they match, starts a new session bound to this interaction. */
export async function logIn(
  deps: InteractionDeps,
  interaction: Interaction,
  form: { username?: unknown; password?: unknown },
  previousSessionId?: string,
): Promise<LoginResult> {
  const { store, clock, newId, config } = deps
  const username = typeof form.username === 'string' ? form.username.trim() : ''
  const password = typeof form.password === 'string' ? form.password : ''
  if (username === '' || password === '') return { ok: false, message: 'Enter your username or email and your password.' }
  const user = await verifyCredentials(store, username, password)
  // One message for both cases, so the page does not reveal which usernames exist.
  if (!user) return { ok: false, message: 'Wrong username or password.' }

  if (previousSessionId) await store.delete('session', previousSessionId)
  const session: Session = { id: newId(), sub: user.user_id, authTime: epochSeconds(clock) }
  await store.set('session', session.id, session, config.ttl.session)
  await updateInteraction(store, { ...interaction, loginSession: session.id }, config.ttl.interaction, clock.now())
  return { ok: true, session }
}
