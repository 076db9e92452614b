// Auth0's brute-force protection: consecutive failed logins are counted per user and IP address;
// after max_attempts of them that pair is blocked, even with the right password.

import { createHash, randomUUID } from 'node:crypto'
import type { AttackProtection, User } from '../config/types.js'
import type { Store } from '../store/store.js'
import { findUserByLogin, verifyCredentials } from '../tenant/users.js'

/** Auth0's defaults: on, and 10 failed attempts allowed before the block. */
export const DEFAULT_MAX_ATTEMPTS = 10

/**
 * How long failures are remembered after the last one, and so how long a block lasts. Auth0 keeps
 * a block for 30 days unless the user follows the unblock email; a mock sends no email.
 */
export const BLOCK_SECONDS = 3600

/** Auth0's wording (Lock's `too_many_attempts`), without the sentence about an email. */
export const BLOCKED_MESSAGE = 'Your account has been blocked after multiple consecutive login attempts.'

export type CredentialCheck = { result: 'ok'; user: User } | { result: 'wrong' } | { result: 'blocked' }

export interface BruteForceProtection {
  /** Checks a login from `ip`; a blocked pair is refused before the password is compared. */
  verify(login: string, password: string, ip: string): Promise<CredentialCheck>
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url')

/**
 * One entry per failed (or pending) attempt, with ids `<pair>|<random>`: counting a pair's entries
 * needs no read-modify-write, so attempts on any replica, at any concurrency, are all counted.
 */
interface LoginAttempt {
  id: string
  subject: string
  ip: string
}

export function createBruteForceProtection(store: Store, config: AttackProtection = {}): BruteForceProtection {
  const enabled = config.brute_force_protection?.enabled ?? true
  const maxAttempts = config.brute_force_protection?.max_attempts ?? DEFAULT_MAX_ATTEMPTS

  return {
    async verify(login, password, ip) {
      if (!enabled) {
        const user = await verifyCredentials(store, login, password)
        return user ? { result: 'ok', user } : { result: 'wrong' }
      }
      const known = await findUserByLogin(store, login)
      // Unknown users are counted too, so the answers do not tell which users exist. What was typed is
      // kept as a hash: it may be long, or a password typed into the wrong field.
      const subject = known ? `user:${known.user_id}` : `login:${sha256(login.toLowerCase())}`
      const pair = `${sha256(JSON.stringify([subject, ip]))}|`
      // The attempt is recorded before the password is compared, then counted with all before it: the
      // k-th attempt sees at least k, so no more than max_attempts passwords are ever compared.
      const attempt: LoginAttempt = { id: `${pair}${randomUUID()}`, subject, ip }
      await store.set('login_attempt', attempt.id, attempt, BLOCK_SECONDS)
      if ((await store.count('login_attempt', pair)) > maxAttempts) {
        await store.delete('login_attempt', attempt.id)
        return { result: 'blocked' }
      }
      const user = await verifyCredentials(store, login, password)
      if (!user) return { result: 'wrong' }
      // A success ends the run of failures.
      for (const { id } of await store.list<LoginAttempt>('login_attempt', { prefix: pair })) await store.delete('login_attempt', id)
      return { result: 'ok', user }
    },
  }
}
