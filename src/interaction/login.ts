import { BLOCKED_MESSAGE, type BruteForceProtection } from '../attack-protection/brute-force.js'
import type { Config, User } from '../config/types.js'
import { describeScripted, statusOf } from '../controls/scenario-errors.js'
import { isError } from '../controls/scenario-types.js'
import type { ScenarioDeps } from '../controls/scenarios.js'
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
   * protection; `user_blocked`: by an administrator (Auth0's "user is blocked"); `scripted`: by a test
   * scenario, with the status it asked for. `userId` when the failure knows whose login it was.
   */
  | {
      ok: false
      reason: 'missing' | 'wrong' | 'blocked' | 'user_blocked' | 'unknown_user' | 'scripted'
      message: string
      invalid: LoginField[]
      userId?: string
      status?: number
    }

/** Checks the credentials and, when they match, starts a new session bound to this interaction. */
export async function logIn(
  deps: InteractionDeps & ScenarioDeps & { bruteForce: BruteForceProtection },
  interaction: Interaction,
  form: { username?: unknown; password?: unknown },
  from: { ip: string; previousSessionId?: string },
): Promise<LoginResult> {
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
  if (isBlocked(check.user)) return { ok: false, reason: 'user_blocked', message: USER_BLOCKED_MESSAGE, invalid: [], userId: check.user.user_id }
  // Test controls only: a login that would succeed fails the way the scenario says.
  const scenario = deps.scenarios?.take('login', { client_id: interaction.clientId, user_id: check.user.user_id }, ['error'])
  if (scenario !== undefined && isError(scenario.respond)) {
    const { respond } = scenario
    return { ok: false, reason: 'scripted', message: describeScripted(respond), invalid: [], userId: check.user.user_id, status: statusOf('login', respond.error) }
  }
  return { ok: true, session: await startSession(deps, interaction, check.user, from.previousSessionId) }
}

/** Test controls only (a login_as scenario): signs this user in without credentials, as a login would. */
export async function logInAs(
  deps: InteractionDeps,
  interaction: Interaction,
  userId: string,
  from: { previousSessionId?: string },
): Promise<LoginResult> {
  const user = await deps.store.get<User>('user', userId)
  if (user === undefined) return { ok: false, reason: 'unknown_user', message: `The test scenario's user ${userId} does not exist.`, invalid: [] }
  if (isBlocked(user)) return { ok: false, reason: 'user_blocked', message: USER_BLOCKED_MESSAGE, invalid: [], userId }
  return { ok: true, session: await startSession(deps, interaction, user, from.previousSessionId) }
}

async function startSession(deps: InteractionDeps, interaction: Interaction, user: User, previousSessionId?: string): Promise<Session> {
  const { store, clock, newId, config } = deps
  if (previousSessionId) await store.delete('session', previousSessionId)
  const session: Session = { id: newId(), sub: user.user_id, authTime: epochSeconds(clock) }
  await store.set('session', session.id, session, config.ttl.session)
  await updateInteraction(store, { ...interaction, loginSession: session.id }, config.ttl.interaction, clock.now())
  return session
}
