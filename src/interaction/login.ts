import { BLOCKED_MESSAGE, type BruteForceProtection } from '../attack-protection/brute-force.js'
import type { Config } from '../config/types.js'
import type { Store } from '../store/store.js'
import { isBlocked, USER_BLOCKED_MESSAGE } from '../tenant/users.js'
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

export type LoginField = 'username' | 'password'

export type LoginResult =
  | { ok: true; session: Session }
  /**
   * `invalid`: the fields the message is about, for the page to mark. `blocked`: by brute-force
   * protection; `user_blocked`: by an administrator (Auth0's "user is blocked").
   */
  | { ok: false; reason: 'missing' | 'wrong' | 'blocked' | 'user_blocked'; message: string; invalid: LoginField[] }

/** Checks the credentials and, when they match, starts a new session bound to this interaction. */
export async function logIn(
  deps: InteractionDeps & { bruteForce: BruteForceProtection },
  interaction: Interaction,
  form: { username?: unknown; password?: unknown },
  from: { ip: string; previousSessionId?: string },
): Promise<LoginResult> {
  const { store, clock, newId, config } = deps
  const username = typeof form.username === 'string' ? form.username.trim() : ''
  const password = typeof form.password === 'string' ? form.password : ''
  if (username === '' || password === '') {
    const invalid = (['username', 'password'] as const).filter((field) => (field === 'username' ? username : password) === '')
    return { ok: false, reason: 'missing', message: 'Enter your username or email and your password.', invalid }
  }
  const check = await deps.bruteForce.verify(username, password, from.ip)
  if (check.result === 'blocked') return { ok: false, reason: 'blocked', message: BLOCKED_MESSAGE, invalid: [] }
  // One message for both cases, so the page does not reveal which usernames exist.
  if (check.result === 'wrong') {
    return { ok: false, reason: 'wrong', message: 'Wrong username or password.', invalid: ['username', 'password'] }
  }
  // Said only to whoever knows the password; no session starts.
  if (isBlocked(check.user)) return { ok: false, reason: 'user_blocked', message: USER_BLOCKED_MESSAGE, invalid: [] }

  if (from.previousSessionId) await store.delete('session', from.previousSessionId)
  const session: Session = { id: newId(), sub: check.user.user_id, authTime: epochSeconds(clock) }
  await store.set('session', session.id, session, config.ttl.session)
  await updateInteraction(store, { ...interaction, loginSession: session.id }, config.ttl.interaction, clock.now())
  return { ok: true, session }
}
