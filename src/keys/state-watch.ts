// A replica's watch over a shared store: on a timer, never on a request, it looks for the version of
// the rotation state after its own; now and then it looks up the newest instead, in case versions it
// missed (the store out of reach for long) were forgotten since.
import { messageOf } from './key-material.js'
import type { KeystoreLog } from './keystore-error.js'

export const WATCH_INTERVAL_MS = 500
const FULL_LOOK_EVERY = 60

export interface StateWatchOptions {
  intervalMs: number
  /** reads the versions after the one in use */
  followVersions(): Promise<void>
  /** reads the newest version, then any after it */
  catchUp(): Promise<void>
  log: KeystoreLog
}

/** Starts watching; stop() ends it once a look under way is done. The timer never keeps the process alive. */
export function watchState(opts: StateWatchOptions): { stop(): Promise<void> } {
  let looking: Promise<void> | undefined
  let looks = 0
  let lastProblem: string | undefined
  const look = () => {
    looking ??= (async () => {
      try {
        looks++
        await (looks % FULL_LOOK_EVERY === 0 ? opts.catchUp() : opts.followVersions())
        lastProblem = undefined
      } catch (err) {
        // Said once per problem, not twice a second while the store is away.
        const problem = messageOf(err)
        if (problem !== lastProblem) opts.log.warn(`signing keys: cannot check for a rotation by another instance (${problem})`)
        lastProblem = problem
      } finally {
        looking = undefined
      }
    })()
  }
  const timer = setInterval(look, opts.intervalMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      await looking
    },
  }
}
