// The server's protocol decisions, kept in memory for the playground's timeline (and, later, the test
// controls). Bounded twice: a fixed number of events, each made of a few short fields. Only decisions go
// in — never tokens, codes, secrets or passwords — and reading them never changes what the server does.
import type { Clock } from '../util/clock.js'

export type EventKind =
  | 'authorize.interaction'
  | 'authorize.issued'
  | 'authorize.error'
  /** refused before the client and redirect_uri were trusted: shown as a page, never sent back */
  | 'authorize.error-page'
  | 'login.succeeded'
  | 'login.failed'
  | 'consent.allowed'
  | 'consent.denied'
  | 'token.issued'
  | 'token.error'
  | 'api.allowed'
  | 'api.refused'
  | 'logout'
  /** a write through the Management API */
  | 'management.changed'
  /** one of the user's Actions ran: outcome and timing in the summary */
  | 'action.executed'
  | 'action.failed'
  /** a test scenario answered a request */
  | 'scenario.applied'
  | 'controls.reset'

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

export interface EventFilter {
  client_id?: string
  state?: string
  /** only events at or after this time (ms since the epoch) */
  since?: number
}

export interface EventLog {
  record(event: NewEvent): void
  /** oldest first */
  list(filter?: EventFilter): ProtocolEvent[]
}

export interface EventLogOptions {
  clock: Clock
  /** how many events are kept; the oldest go first */
  capacity?: number
}

export const DEFAULT_CAPACITY = 1000
/** Longest kept length of each field: enough for a sentence, too short to carry much else. */
export const FIELD_LIMITS = { client_id: 128, user_id: 256, state: 128, summary: 240, detail: 400 } as const

const clip = (value: string | undefined, max: number): string | undefined =>
  value === undefined ? undefined : value.length > max ? `${value.slice(0, max - 1)}…` : value

/** A ring buffer of protocol events. */
export function createEventLog({ clock, capacity = DEFAULT_CAPACITY }: EventLogOptions): EventLog {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`event log: capacity must be a positive integer (got ${capacity})`)
  const ring: ProtocolEvent[] = []
  let next = 0

  return {
    record(event) {
      const kept: ProtocolEvent = { at: clock.now(), kind: event.kind, summary: clip(event.summary, FIELD_LIMITS.summary)! }
      if (event.client_id !== undefined) kept.client_id = clip(event.client_id, FIELD_LIMITS.client_id)
      if (event.user_id !== undefined) kept.user_id = clip(event.user_id, FIELD_LIMITS.user_id)
      if (event.state !== undefined) kept.state = clip(event.state, FIELD_LIMITS.state)
      if (event.detail !== undefined) kept.detail = clip(event.detail, FIELD_LIMITS.detail)
      if (ring.length < capacity) ring.push(kept)
      else ring[next] = kept
      next = (next + 1) % capacity
    },
    list(filter = {}) {
      // once full, the oldest event sits where the next one will be written
      const ordered = ring.length < capacity ? ring : [...ring.slice(next), ...ring.slice(0, next)]
      return ordered
        .filter(
          (e) =>
            (filter.client_id === undefined || e.client_id === filter.client_id) &&
            (filter.state === undefined || e.state === filter.state) &&
            (filter.since === undefined || e.at >= filter.since),
        )
        .map((e) => ({ ...e }))
    },
  }
}
