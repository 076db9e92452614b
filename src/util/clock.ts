// Time and randomness are injected so tests can assert exact claims.

export interface Clock {
  /** milliseconds since the epoch */
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** whole seconds since the epoch, as JWT NumericDate */
export const epochSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000)
