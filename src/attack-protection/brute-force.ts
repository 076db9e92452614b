// Auth0's brute-force protection: consecutive failed logins are counted per user and IP address;
// after max_attempts of them that pair is blocked, even with the right password.

import { createHash } from 'node:crypto'
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

/** One counter per user (or, for a login that names no user, per what was typed) and IP. */
interface LoginAttempt {
  subject: string
  ip: string
  failures: number
}

export function createBruteForceProtection(store: Store, config: AttackProtection = {}): BruteForceProtection {
  const enabled = config.brute_force_protection?.enabled ?? true
  const maxAttempts = config.brute_force_protection?.max_attempts ?? DEFAULT_MAX_ATTEMPTS
  // The store has no atomic increment: attempts on one pair run one at a time, so parallel
  // guesses cannot all read the same count.
  const queues = new Map<string, Promise<unknown>>()
  const oneAtATime = <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (queues.get(key) ?? Promise.resolve()).then(task)
    const tail = run.catch(() => undefined)
    queues.set(key, tail)
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key)
    })
    return run
  }

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
      const key = JSON.stringify([subject, ip])
      return oneAtATime(key, async (): Promise<CredentialCheck> => {
        const attempt = await store.get<LoginAttempt>('login_attempt', key)
        if (attempt && attempt.failures >= maxAttempts) return { result: 'blocked' }
        const user = await verifyCredentials(store, login, password)
        if (user) {
          if (attempt) await store.delete('login_attempt', key)
          return { result: 'ok', user }
        }
        const failures = (attempt?.failures ?? 0) + 1
        await store.set<LoginAttempt>('login_attempt', key, { subject, ip, failures }, BLOCK_SECONDS)
        return { result: 'wrong' }
      })
    },
  }
}
