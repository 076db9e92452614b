// Time and randomness are injected so tests can assert exact claims.

export interface Clock {
  /** milliseconds since the epoch */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** whole seconds since the epoch, as JWT NumericDate */
export const epochSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000)

/**
 * A clock the test controls move: an offset over the base clock, so time keeps running from wherever
 * it was set. Everything that reads the server's clock (expiries, token times, store TTLs) follows it.
 */
export interface ControllableClock extends Clock {
  /** milliseconds this clock is ahead of its base (negative: behind) */
  offset(): number
  /** moves the clock by this many milliseconds (negative: back) */
  advance(ms: number): void
  /** makes now() return this time (ms since the epoch), and run on from there */
  set(ms: number): void
  /** back to the base clock */
  useBase(): void
}

export function createControllableClock(base: Clock): ControllableClock {
  let offset = 0
  return {
    now: () => base.now() + offset,
    offset: () => offset,
    advance(ms) {
      offset += ms
    },
    set(ms) {
      offset = ms - base.now()
    },
    useBase() {
      offset = 0
    },
  }
}
