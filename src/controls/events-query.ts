// GET /_gatehouse/events: the query, checked, and the events as the feed shows them.
import { EVENT_KINDS, type EventFilter, type LoggedEvent } from '../events/event-log.js'
import { ControlInputError, readObject, refuseUnknown } from './input.js'

/** Longest long poll: long enough to wait out a flow, short enough for any HTTP client's timeout. */
const MAX_WAIT_MS = 30_000
const MAX_EVENTS = 1000

const GROUPS = new Set(EVENT_KINDS.map((kind) => kind.split('.')[0]!))

export interface EventsQuery {
  filter: EventFilter
  /** ms to wait for a first matching event */
  wait: number
}

const wholeNumber = (query: Record<string, unknown>, name: string, max: number): number | undefined => {
  const value = query[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value) || Number(value) > max) {
    throw new ControlInputError(name, `${name} must be a whole number from 0 to ${max}`)
  }
  return Number(value)
}

const text = (query: Record<string, unknown>, name: string): string | undefined => {
  const value = query[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) {
    throw new ControlInputError(name, `${name} must be given once, 1 to 256 characters`)
  }
  return value
}

export function parseEventsQuery(raw: unknown): EventsQuery {
  const query = readObject(raw ?? {}, 'query')
  refuseUnknown(query, ['since', 'type', 'client_id', 'user_id', 'wait', 'limit'], '')
  const filter: EventFilter = { limit: MAX_EVENTS }
  const since = wholeNumber(query, 'since', Number.MAX_SAFE_INTEGER)
  if (since !== undefined) filter.after = since
  const types = text(query, 'type')
  if (types !== undefined) {
    const kinds = types.split(',')
    const unknown = kinds.find((kind) => !(EVENT_KINDS as readonly string[]).includes(kind) && !GROUPS.has(kind))
    if (unknown !== undefined) {
      throw new ControlInputError('type', `type ${JSON.stringify(unknown)} is not an event type (types: ${EVENT_KINDS.join(', ')}; or a group such as login)`)
    }
    filter.kinds = kinds
  }
  const clientId = text(query, 'client_id')
  if (clientId !== undefined) filter.client_id = clientId
  const userId = text(query, 'user_id')
  if (userId !== undefined) filter.user_id = userId
  const limit = wholeNumber(query, 'limit', MAX_EVENTS)
  if (limit !== undefined) {
    if (limit === 0) throw new ControlInputError('limit', `limit must be a whole number from 1 to ${MAX_EVENTS}`)
    filter.limit = limit
  }
  return { filter, wait: wholeNumber(query, 'wait', MAX_WAIT_MS) ?? 0 }
}

/** An event as the feed shows it: `type` as the query names it, the time in ISO 8601. */
export function eventView(event: LoggedEvent) {
  const { id, kind, at, ...rest } = event
  return { id, type: kind, at: new Date(at).toISOString(), ...rest }
}

/**
 * Where the next request should start: after the last event given when the answer was cut short by the
 * limit, else after the newest event of the log (those skipped did not match, and never will).
 */
export function nextSince(events: readonly LoggedEvent[], filter: EventFilter, lastId: number): number {
  if (filter.limit !== undefined && events.length >= filter.limit) return events[events.length - 1]!.id
  return Math.max(lastId, filter.after ?? 0)
}
