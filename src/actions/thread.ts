// One worker thread that runs Actions, seen from Gatehouse. A run past its deadline fails at once,
// and when the thread then does not answer a ping (a synchronous endless loop, say) it is stopped.
// Runs that were waiting behind the stuck one (the thread says, in memory both share, which run it
// started last) go back to the pool for another thread: the server itself never waits on user code.
// Messages go in batches (batch.ts), since thread wake-ups are what a run costs most.
import { Worker } from 'node:worker_threads'
import type { Readable } from 'node:stream'
import type { ActionLog, RunInput, RunOutcome } from './pool.js'
import type { FromWorker, LoadResult, ScriptToLoad, ToWorker } from './protocol.js'
import { batchedSender } from './batch.js'
import { workerFile } from './worker-file.js'

/** How long a thread whose run missed its deadline has to answer a ping before it is stopped. */
export const PING_GRACE_MS = 250
/** Longest a thread may take to load the scripts (their top-level code runs then). */
export const LOAD_TIMEOUT_MS = 30_000
/** Heap of one thread: an Action that allocates without end stops its thread, not the server. */
const HEAP_LIMIT_MB = 512

/** One run, from the request to its outcome, whichever thread ends up running it. */
export interface PendingRun {
  readonly input: RunInput
  /** moved once already, from a thread that stopped before starting it */
  moved: boolean
  /** performance.now() past which it is late */
  deadline: number
  settle(outcome: RunOutcome): void
}

/** One worker thread and the runs it holds. */
export class ActionThread {
  readonly ready: Promise<LoadResult[]>
  dead = false
  readonly #worker: Worker
  readonly #post: (message: ToWorker) => void
  readonly #log: ActionLog
  readonly #orphaned: (runs: PendingRun[]) => void
  readonly #pending = new Map<number, PendingRun>()
  #loaded: LoadResult[] | undefined
  /** the id of the last run the thread started, written by the thread (runs start in the order sent) */
  readonly #lastStarted = new Int32Array(new SharedArrayBuffer(4))
  /** runs assigned while the thread is suspected of being stuck: sent once it answers its ping */
  #held: number[] = []
  #nextId = 1
  /** one timer per thread, for the earliest deadline of its runs */
  #timer: NodeJS.Timeout | undefined
  #timerAt = Infinity
  #checking = false
  #onPong: (() => void) | undefined

  constructor(scripts: ScriptToLoad[], log: ActionLog, orphaned: (runs: PendingRun[]) => void) {
    this.#log = log
    this.#orphaned = orphaned
    const { url, execArgv } = workerFile()
    this.#worker = new Worker(url, {
      execArgv,
      workerData: { lastStarted: this.#lastStarted },
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
    })
    // The deadline timer keeps the process alive while a run is pending; an idle thread must not.
    this.#worker.unref()
    const sender = batchedSender<ToWorker>((text) => {
      if (!this.dead) this.#worker.postMessage(text)
    })
    this.#post = sender.send
    forwardLines(this.#worker.stdout, (line) => log.info(`Action output: ${line}`))
    forwardLines(this.#worker.stderr, (line) => log.warn(`Action output: ${line}`))
    this.ready = new Promise<LoadResult[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        const reason = `loading took longer than ${LOAD_TIMEOUT_MS / 1000} s (top-level code that does not finish?)`
        reject(new Error(reason))
        void this.stop(reason)
      }, LOAD_TIMEOUT_MS)
      this.#worker.on('message', (text: string) => {
        for (const message of JSON.parse(text) as FromWorker[]) {
          if (message.type !== 'loaded') this.#receive(message)
          else {
            clearTimeout(timer)
            this.#loaded = message.results
            resolve(message.results)
          }
        }
      })
      const fail = (reason: string) => {
        clearTimeout(timer)
        reject(new Error(reason))
        this.#died(reason)
      }
      this.#worker.on('error', (error) => fail(`the Action thread failed: ${error.message}`))
      this.#worker.on('exit', (code) => fail(`the Action thread exited (code ${code})`))
    })
    // a rejection nobody awaits (a thread replaced while idle) is not an unhandled one
    this.ready.catch(() => {})
    // sent at once, so the thread starts loading while this one goes on
    this.#post({ type: 'load', scripts })
    sender.flush()
  }

  get inFlight(): number {
    return this.#pending.size
  }

  assign(run: PendingRun): void {
    const id = this.#nextId++
    this.#pending.set(id, run)
    run.deadline = performance.now() + run.input.timeoutMs
    this.#schedule(run.deadline)
    if (this.#checking) this.#held.push(id)
    else this.#send(id)
  }

  #started(id: number): boolean {
    return Atomics.load(this.#lastStarted, 0) >= id
  }

  /** Makes the thread's one timer fire by this time. */
  #schedule(at: number): void {
    if (at >= this.#timerAt) return
    clearTimeout(this.#timer)
    this.#timerAt = at
    this.#timer = setTimeout(() => this.#onDeadline(), Math.max(0, at - performance.now()))
  }

  /**
   * Runs past their deadline fail. One its thread has not started yet is not late: it waits behind
   * another, which will miss its own deadline if it is stuck; it gets another period, the thread a ping.
   */
  #onDeadline(): void {
    this.#timer = undefined
    this.#timerAt = Infinity
    const now = performance.now()
    let late = false
    let next = Infinity
    for (const [id, run] of this.#pending) {
      if (run.deadline <= now) {
        late = true
        if (this.#started(id)) {
          this.#pending.delete(id)
          run.settle({ kind: 'timeout' })
          continue
        }
        run.deadline = now + run.input.timeoutMs
      }
      next = Math.min(next, run.deadline)
    }
    if (next !== Infinity) this.#schedule(next)
    if (late) void this.#checkResponsive()
  }

  async stop(reason: string): Promise<void> {
    if (this.dead) return
    this.#died(reason)
    await this.#worker.terminate()
  }

  #send(id: number): void {
    if (this.#loaded !== undefined) return this.#sendLoaded(id, this.#loaded)
    this.ready.then(
      (results) => this.#sendLoaded(id, results),
      () => {},
    )
  }

  #sendLoaded(id: number, results: LoadResult[]): void {
    const run = this.#pending.get(id)
    if (run === undefined || this.dead) return
    const loaded = results.find((r) => r.index === run.input.action)
    if (loaded?.ok === false) return this.#finish(id, { kind: 'stopped', reason: `the Action no longer loads: ${loaded.reason}` })
    const { action, handler, event, context } = run.input
    this.#post({ type: 'run', id, action, handler, event, context })
  }

  #receive(message: Exclude<FromWorker, { type: 'loaded' }>): void {
    switch (message.type) {
      case 'done':
        return this.#finish(message.id, message.ok ? { kind: 'done', commands: message.commands } : { kind: 'threw', error: message.error })
      case 'pong':
        return this.#onPong?.()
    }
  }

  #finish(id: number, outcome: RunOutcome): void {
    const run = this.#pending.get(id)
    this.#pending.delete(id)
    if (this.#pending.size === 0) this.#clearTimer()
    run?.settle(outcome)
  }

  #clearTimer(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#timerAt = Infinity
  }

  /** A run missed its deadline: an answer to a ping says the thread is only waiting, none says it is stuck. */
  async #checkResponsive(): Promise<void> {
    // A thread still loading the scripts cannot answer yet; LOAD_TIMEOUT_MS bounds that wait.
    if (this.#checking || this.dead || this.#loaded === undefined) return
    this.#checking = true
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PING_GRACE_MS)
      this.#onPong = () => {
        clearTimeout(timer)
        resolve(true)
      }
      this.#post({ type: 'ping' })
    })
    this.#onPong = undefined
    this.#checking = false
    if (answered) {
      const held = this.#held
      this.#held = []
      held.forEach((id) => this.#send(id))
      return
    }
    const reason = 'an Action kept its thread busy past its deadline (a synchronous loop?); the thread was stopped'
    this.#log.warn(reason)
    await this.stop(reason)
  }

  /** Runs it had started fail; those it had not go to another thread (once). */
  #died(reason: string): void {
    if (this.dead) return
    this.dead = true
    const orphans: PendingRun[] = []
    for (const [id, run] of this.#pending) {
      if (this.#started(id) || run.moved) run.settle({ kind: 'stopped', reason })
      else orphans.push(Object.assign(run, { moved: true }))
    }
    this.#pending.clear()
    this.#clearTimer()
    this.#held = []
    if (orphans.length > 0) this.#orphaned(orphans)
  }
}

/** Hands each complete line the stream writes to `write`. */
function forwardLines(stream: Readable, write: (line: string) => void): void {
  let rest = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) if (line.trim() !== '') write(line.slice(0, 2000))
    // a line that never ends must not grow without bound
    if (rest.length > 8192) {
      write(rest.slice(0, 2000))
      rest = ''
    }
  })
  stream.on('end', () => {
    if (rest.trim() !== '') write(rest.slice(0, 2000))
  })
}
