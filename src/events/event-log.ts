// The server's protocol decisions, kept in memory for the playground's timeline and the test controls'
// event feed. Bounded twice: a fixed number of events, each made of a few short fields; and a fixed
// number of readers waiting for the next one. Only decisions go in — never tokens, codes, secrets or
// passwords — and reading them never changes what the server does.
import type { Clock } from '../util/clock.js'

export const EVENT_KINDS = [
  'authorize.interaction',
  'authorize.issued',
  'authorize.error',
  /** refused before the client and redirect_uri were trusted: shown as a page, never sent back */
  'authorize.error-page',
  'login.succeeded',
  'login.failed',
  'consent.allowed',
  'consent.denied',
  'token.issued',
  'token.error',
  'api.allowed',
  'api.refused',
  'logout',
  /** a write through the Management API */
  'management.changed',
  /** one of the user's Actions ran: outcome and timing in the summary */
  'action.executed',
  'action.failed',
  /** a test scenario answered a request */
  'scenario.applied',
  'controls.reset',
] as const

export type EventKind = (typeof EVENT_KINDS)[number]

export interface ProtocolEvent {
  /** ms since the epoch, from the injected clock */
  at: number
  kind: EventKind
  client_id?: string
  user_id?: string
  /** the authorize request's state, to tie the events of one flow together */
  state?: string
  /** one sentence */
  summary: string
  detail?: string
}

/** What `record` is given: everything but the time, which the log adds. */
export type NewEvent = Omit<ProtocolEvent, 'at'>

/** An event with its place in the log, as the test controls' feed gives it. */
export interface LoggedEvent extends ProtocolEvent {
  /** 1 for the first event recorded, then one more for each; never reused, not even after clear() */
  id: number
}

export interface EventFilter {
  client_id?: string
  user_id?: string
  state?: string
  /** only events at or after this time (ms since the epoch) */
  since?: number
  /** only events with a greater id */
  after?: number
  /** only these kinds; a name without a dot stands for its group ("login" is login.succeeded and login.failed) */
  kinds?: readonly string[]
  /** at most this many, the oldest first */
  limit?: number
}

export interface EventLog {
  record(event: NewEvent): void
  /** oldest first */
  list(filter?: EventFilter): ProtocolEvent[]
  /** the same, with each event's id */
  feed(filter?: EventFilter): LoggedEvent[]
  /** the id of the newest event recorded, 0 before the first */
  lastId(): number
  /**
   * The events `feed(filter)` gives, as soon as there is at least one; [] once `ms` have passed or
   * `signal` aborts. Throws TooManyWaiters when the log already has as many waiting readers as it allows.
   */
  waitFor(filter: EventFilter, ms: number, signal?: AbortSignal): Promise<LoggedEvent[]>
  /** forgets every event (ids go on from where they were, so a reader's cursor stays valid) */
  clear(): void
  /** answers every waiting reader with [] (the server is closing) */
  releaseWaiters(): void
}

export interface EventLogOptions {
  clock: Clock
  /** how many events are kept; the oldest go first */
  capacity?: number
  /** how many readers may wait for the next event at once */
  maxWaiters?: number
  /** told of every event as it is recorded (the server writes them to its log) */
  onRecord?: (event: LoggedEvent) => void
}

export const DEFAULT_CAPACITY = 1000
export const DEFAULT_MAX_WAITERS = 64
/** Longest kept length of each field: enough for a sentence, too short to carry much else. */
export const FIELD_LIMITS = { client_id: 128, user_id: 256, state: 128, summary: 240, detail: 400 } as const

export class TooManyWaiters extends Error {
  constructor(max: number) {
    super(`${max} readers are already waiting for events`)
    this.name = 'TooManyWaiters'
  }
}

const clip = (value: string | undefined, max: number): string | undefined =>
  value === undefined ? undefined : value.length > max ? `${value.slice(0, max - 1)}…` : value

const kindMatches = (kind: EventKind, wanted: readonly string[]): boolean =>
  wanted.some((name) => name === kind || (!name.includes('.') && kind.startsWith(`${name}.`)))

function matches(e: LoggedEvent, filter: EventFilter): boolean {
  return (
    (filter.client_id === undefined || e.client_id === filter.client_id) &&
    (filter.user_id === undefined || e.user_id === filter.user_id) &&
    (filter.state === undefined || e.state === filter.state) &&
    (filter.since === undefined || e.at >= filter.since) &&
    (filter.after === undefined || e.id > filter.after) &&
    (filter.kinds === undefined || kindMatches(e.kind, filter.kinds))
  )
}

interface Waiter {
  filter: EventFilter
  answer(events: LoggedEvent[]): void
}

/** A ring buffer of protocol events. */
export function createEventLog({ clock, capacity = DEFAULT_CAPACITY, maxWaiters = DEFAULT_MAX_WAITERS, onRecord }: EventLogOptions): EventLog {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`event log: capacity must be a positive integer (got ${capacity})`)
  let ring: LoggedEvent[] = []
  let next = 0
  let lastId = 0
  const waiters = new Set<Waiter>()

  function feed(filter: EventFilter = {}): LoggedEvent[] {
    // once full, the oldest event sits where the next one will be written
    const ordered = ring.length < capacity ? ring : [...ring.slice(next), ...ring.slice(0, next)]
    const found: LoggedEvent[] = []
    for (const e of ordered) {
      if (filter.limit !== undefined && found.length >= filter.limit) break
      if (matches(e, filter)) found.push({ ...e })
    }
    return found
  }

  return {
    record(event) {
      const kept: LoggedEvent = { id: ++lastId, at: clock.now(), kind: event.kind, summary: clip(event.summary, FIELD_LIMITS.summary)! }
      if (event.client_id !== undefined) kept.client_id = clip(event.client_id, FIELD_LIMITS.client_id)
      if (event.user_id !== undefined) kept.user_id = clip(event.user_id, FIELD_LIMITS.user_id)
      if (event.state !== undefined) kept.state = clip(event.state, FIELD_LIMITS.state)
      if (event.detail !== undefined) kept.detail = clip(event.detail, FIELD_LIMITS.detail)
      if (ring.length < capacity) ring.push(kept)
      else ring[next] = kept
      next = (next + 1) % capacity
      onRecord?.({ ...kept })
      // A waiter's filter matched nothing when it began waiting, and each event since was checked against
      // it: this one is all feed(filter) would give, so the ring is not scanned again per waiter.
      for (const waiter of waiters) if (matches(kept, waiter.filter)) waiter.answer([{ ...kept }])
    },
    // The timeline's shape, which has no ids.
    list: (filter) => feed(filter).map(({ id: _id, ...event }) => event),
    feed,
    lastId: () => lastId,
    async waitFor(filter, ms, signal) {
      const now = feed(filter)
      if (now.length > 0 || ms <= 0 || signal?.aborted) return now
      if (waiters.size >= maxWaiters) throw new TooManyWaiters(maxWaiters)
      return new Promise<LoggedEvent[]>((resolve) => {
        const waiter: Waiter = {
          filter,
          answer(events) {
            waiters.delete(waiter)
            clearTimeout(timer)
            signal?.removeEventListener('abort', onAbort)
            resolve(events)
          },
        }
        const onAbort = () => waiter.answer([])
        // A reader's deadline is wall time, whatever the server's clock says.
        const timer = setTimeout(onAbort, ms)
        signal?.addEventListener('abort', onAbort, { once: true })
        waiters.add(waiter)
      })
    },
    clear() {
      ring = []
      next = 0
    },
    releaseWaiters() {
      for (const waiter of waiters) waiter.answer([])
    },
  }
}
