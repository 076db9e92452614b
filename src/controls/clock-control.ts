// GET|POST /_gatehouse/clock: where the server's clock stands, and moving it.
import type { ControllableClock } from '../util/clock.js'
import { ControlInputError, readInteger, readObject, refuseUnknown } from './input.js'

/** a century either way */
const MAX_ADVANCE_SECONDS = 100 * 365 * 24 * 3600
/** the last second of year 9999, as JavaScript dates go */
const MAX_EPOCH_SECONDS = 253_402_300_799

export type ClockChange = { advance_seconds: number } | { now: number } | { real_time: true }

export interface ClockState {
  /** ISO 8601 */
  now: string
  /** seconds since the epoch, as tokens' iat and exp */
  epoch_seconds: number
  /** how far the clock is from real time, in seconds (negative: behind) */
  offset_seconds: number
  real_time: boolean
}

/** Exactly one of advance_seconds, now (ISO 8601 or seconds since the epoch) or real_time: true. */
export function parseClockChange(body: unknown): ClockChange {
  const input = readObject(body, '')
  const fields = ['advance_seconds', 'now', 'real_time']
  refuseUnknown(input, fields, '')
  const given = fields.filter((name) => input[name] !== undefined)
  if (given.length !== 1) {
    throw new ControlInputError(given[1] ?? 'body', 'give exactly one of advance_seconds, now (ISO 8601 or seconds since the epoch) and real_time: true')
  }
  if (input.advance_seconds !== undefined) return { advance_seconds: readInteger(input, 'advance_seconds', '', -MAX_ADVANCE_SECONDS, MAX_ADVANCE_SECONDS)! }
  if (input.real_time !== undefined) {
    if (input.real_time !== true) throw new ControlInputError('real_time', 'real_time must be true (it puts the clock back to real time)')
    return { real_time: true }
  }
  return { now: parseTime(input.now) }
}

/** ms since the epoch */
function parseTime(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_EPOCH_SECONDS) {
      throw new ControlInputError('now', `now must be whole seconds since the epoch, from 0 to ${MAX_EPOCH_SECONDS}, or an ISO 8601 time`)
    }
    return value * 1000
  }
  // A date and a time with its zone, so that no one's local time zone decides what it means.
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/
  const ms = typeof value === 'string' && iso.test(value) ? Date.parse(value) : NaN
  if (Number.isNaN(ms) || ms < 0) throw new ControlInputError('now', 'now must be an ISO 8601 time with a zone (e.g. 2030-01-01T00:00:00Z) or seconds since the epoch')
  return ms
}

export function applyClockChange(clock: ControllableClock, change: ClockChange): void {
  if ('advance_seconds' in change) {
    const to = clock.now() + change.advance_seconds * 1000
    if (to < 0 || to > MAX_EPOCH_SECONDS * 1000) throw new ControlInputError('advance_seconds', 'advance_seconds would take the clock before 1970 or past 9999')
    clock.advance(change.advance_seconds * 1000)
  }
  else if ('now' in change) clock.set(change.now)
  else clock.useBase()
}

export function clockState(clock: ControllableClock): ClockState {
  const now = clock.now()
  return {
    now: new Date(now).toISOString(),
    epoch_seconds: Math.floor(now / 1000),
    offset_seconds: Math.round(clock.offset() / 1000),
    real_time: clock.offset() === 0,
  }
}
