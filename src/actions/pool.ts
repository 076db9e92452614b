// The worker threads that run Actions, seen from Gatehouse: runs go to the least busy thread, and a
// thread that stopped (thread.ts says when) is replaced by a new one at the next run.
import type { Command, HandlerName, LoadResult, RunContext, ScriptToLoad, ThrownError } from './protocol.js'
import { ActionThread, type PendingRun } from './thread.js'

/** Where Actions write: their console output, and why a thread was stopped. */
export interface ActionLog {
  info(msg: string): void
  warn(msg: string): void
  error(details: Record<string, unknown>, msg: string): void
}

export type RunOutcome =
  | { kind: 'done'; commands: Command[] }
  | { kind: 'threw'; error: ThrownError }
  | { kind: 'timeout' }
  /** the thread stopped under a run it had started: its own loop, another's, process.exit, memory, a file that no longer loads */
  | { kind: 'stopped'; reason: string }

export interface RunInput {
  action: number
  handler: HandlerName
  event: unknown
  context: RunContext
  timeoutMs: number
}

export interface ActionPool {
  /** loads every script in every thread; what the first thread found */
  start(): Promise<LoadResult[]>
  run(input: RunInput): Promise<RunOutcome>
  close(): Promise<void>
}

export interface PoolOptions {
  scripts: ScriptToLoad[]
  log: ActionLog
  /** threads; one, since Actions mostly wait on I/O, which one thread overlaps */
  size?: number
}

export function createActionPool({ scripts, log, size = 1 }: PoolOptions): ActionPool {
  let closed = false
  const threads: ActionThread[] = []
  const spawn = () => new ActionThread(scripts, log, (orphans) => orphans.forEach(dispatch))

  function dispatch(run: PendingRun): void {
    if (closed) return run.settle({ kind: 'stopped', reason: 'the server is closing' })
    for (let i = 0; i < threads.length; i++) if (threads[i]!.dead) threads[i] = spawn()
    // the least busy: a stuck thread collects runs it never answers, so others get the new ones
    threads.reduce((best, thread) => (thread.inFlight < best.inFlight ? thread : best)).assign(run)
  }

  return {
    async start() {
      for (let i = 0; i < size; i++) threads.push(spawn())
      const all = await Promise.all(threads.map((thread) => thread.ready))
      return all[0]!
    },
    run(input) {
      return new Promise((resolve) => {
        let settled = false
        const run: PendingRun = {
          input,
          moved: false,
          deadline: 0,
          settle(outcome) {
            if (settled) return
            settled = true
            resolve(outcome)
          },
        }
        if (threads.length === 0) return run.settle({ kind: 'stopped', reason: 'the Actions are not started' })
        dispatch(run)
      })
    },
    async close() {
      closed = true
      await Promise.all(threads.map((thread) => thread.stop('the server is closing')))
    },
  }
}

