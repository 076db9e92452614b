// The pending test scenarios of this process, in the order they were queued. They live in memory: each
// replica has its own, and a restart forgets them. Taking one is synchronous, so two concurrent requests
// never both spend its last use.
import type { EventLog } from '../events/event-log.js'
import type { Clock } from '../util/clock.js'
import type { IdGenerator } from '../util/ids.js'
import { isError, isLoginAs, responseKind, type ResponseKind, type Scenario, type ScenarioEndpoint, type ScenarioFacts, type ScenarioSpec } from './scenario-types.js'

/** What the flows' hooks see: only taking. */
export interface ScenarioMatcher {
  /**
   * The oldest pending scenario for `on` whose `match` all these facts satisfy and whose answer is one of
   * `kinds`, with one of its uses spent; undefined when none matches (the request then goes on untouched).
   */
  take(on: ScenarioEndpoint, facts: ScenarioFacts, kinds: readonly ResponseKind[]): Scenario | undefined
  /** Remembers that the login page of interaction `uid` signs `userId` in at once (a login_as scenario). */
  holdLogin(uid: string, userId: string): void
  /** The user a held login signs in, once. */
  takeHeldLogin(uid: string): string | undefined
}

/** The optional member of a flow's deps: present only when the test controls are on. */
export interface ScenarioDeps {
  scenarios?: ScenarioMatcher
}

export interface Scenarios extends ScenarioMatcher {
  /** undefined when the queue is full */
  add(spec: ScenarioSpec): Scenario | undefined
  list(): Scenario[]
  /** false when no pending scenario has this id */
  remove(id: string): boolean
  /** forgets every scenario and held login; how many scenarios there were */
  clear(): number
}

export interface ScenariosOptions {
  clock: Clock
  newId: IdGenerator
  events: EventLog
  /** how long a held login waits for its login page (the interaction's lifetime), in seconds */
  holdSeconds: number
  /** most pending scenarios (and held logins) at once */
  capacity?: number
}

export const MAX_SCENARIOS = 1000

const FACT_NAMES = ['client_id', 'user_id', 'grant_type'] as const

function satisfies(scenario: Scenario, facts: ScenarioFacts): boolean {
  return FACT_NAMES.every((name) => scenario.match[name] === undefined || scenario.match[name] === facts[name])
}

function describe(scenario: Scenario): string {
  const { respond } = scenario
  if (isError(respond)) return respond.error
  if (isLoginAs(respond)) return `login_as ${respond.login_as}`
  const parts = Object.keys(respond.claims ?? {}).map((name) => `claim ${name}`)
  if (respond.expires_in !== undefined) parts.push(`expires_in ${respond.expires_in}`)
  return parts.join(', ')
}

export function createScenarios({ clock, newId, events, holdSeconds, capacity = MAX_SCENARIOS }: ScenariosOptions): Scenarios {
  let pending: Scenario[] = []
  const held = new Map<string, { userId: string; until: number }>()
  const copy = (s: Scenario): Scenario => structuredClone(s)

  return {
    add(spec) {
      if (pending.length >= capacity) return undefined
      const scenario: Scenario = { id: newId(), ...structuredClone(spec), remaining: spec.times, created_at: clock.now() }
      pending.push(scenario)
      return copy(scenario)
    },
    list: () => pending.map(copy),
    remove(id) {
      const before = pending.length
      pending = pending.filter((s) => s.id !== id)
      return pending.length < before
    },
    clear() {
      const count = pending.length
      pending = []
      held.clear()
      return count
    },
    take(on, facts, kinds) {
      const index = pending.findIndex((s) => s.on === on && kinds.includes(responseKind(s.respond)) && satisfies(s, facts))
      if (index === -1) return undefined
      const scenario = pending[index]!
      scenario.remaining -= 1
      if (scenario.remaining === 0) pending.splice(index, 1)
      events.record({
        kind: 'scenario.applied',
        client_id: facts.client_id,
        user_id: facts.user_id,
        summary: `test scenario ${scenario.id} answered ${on}${facts.grant_type ? ` (${facts.grant_type})` : ''}: ${describe(scenario)}`,
        detail: `${scenario.remaining} use${scenario.remaining === 1 ? '' : 's'} left`,
      })
      return copy(scenario)
    },
    holdLogin(uid, userId) {
      const now = clock.now()
      for (const [key, value] of held) if (value.until <= now) held.delete(key)
      // Bounded like the queue: the oldest hold goes first.
      if (held.size >= capacity) held.delete(held.keys().next().value!)
      held.set(uid, { userId, until: now + holdSeconds * 1000 })
    },
    takeHeldLogin(uid) {
      const hold = held.get(uid)
      if (hold === undefined) return undefined
      held.delete(uid)
      return hold.until > clock.now() ? hold.userId : undefined
    },
  }
}
