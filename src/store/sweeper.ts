// Background deletion of expired entries in the SQL adapters, in small batches so requests are never held up.

export const DEFAULT_SWEEP_INTERVAL_MS = 60_000
export const SWEEP_BATCH = 1000

export interface Sweeper {
  /** deletes every expired entry now, batch by batch; resolves to how many */
  sweep(): Promise<number>
  /** stops the timer and waits for a sweep under way */
  stop(): Promise<void>
}

/** `deleteBatch` deletes at most SWEEP_BATCH expired entries and says how many it deleted. */
export function startSweeper(
  deleteBatch: () => Promise<number> | number,
  intervalMs: number,
  onError: (err: unknown) => void,
): Sweeper {
  let running: Promise<number> | undefined
  let stopped = false

  async function sweepAll(): Promise<number> {
    let total = 0
    for (;;) {
      const deleted = await deleteBatch()
      total += deleted
      if (deleted < SWEEP_BATCH || stopped) return total
      // Let waiting requests run between batches.
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  function sweep(): Promise<number> {
    running ??= sweepAll().finally(() => {
      running = undefined
    })
    return running
  }

  const timer = setInterval(() => sweep().catch(onError), intervalMs)
  // A pending sweep must never keep the process alive.
  timer.unref()

  return {
    sweep,
    async stop() {
      stopped = true
      clearInterval(timer)
      await running?.catch(() => {})
    },
  }
}
