// A worker thread that runs the user's Action files: it loads them once (CommonJS or ES modules,
// resolving their own imports from their own folders, as Node does) and calls a handler on request.
// Gatehouse can stop the thread when an Action runs too long, even in a synchronous endless loop.
import { pathToFileURL } from 'node:url'
import { parentPort, workerData } from 'node:worker_threads'
import {
  HANDLER_NAMES,
  type FromWorker,
  type HandlerName,
  type LoadResult,
  type RunRequest,
  type ScriptToLoad,
  type ThrownError,
  type ToWorker,
  type WorkerData,
} from './protocol.js'
import { batchedSender } from './batch.js'
import { createApi } from './worker-api.js'

type Handler = (event: unknown, api: unknown) => unknown

if (parentPort === null) throw new Error('src/actions/worker.ts runs as a worker thread only')
const port = parentPort
const { lastStarted } = workerData as WorkerData
const loaded = new Map<number, Partial<Record<HandlerName, Handler>>>()

const sender = batchedSender<FromWorker>((text) => port.postMessage(text))
const send = sender.send

// What an Action leaves running after it finished must not end the thread the other Actions share.
process.on('unhandledRejection', (reason) => console.error('an Action left a promise rejected:', reason))
process.on('uncaughtException', (error) => console.error('an Action left an error thrown:', error))

port.on('message', (text: string) => (JSON.parse(text) as ToWorker[]).forEach(receive))

function receive(message: ToWorker): void {
  switch (message.type) {
    case 'ping':
      return send({ type: 'pong' })
    case 'load':
      return void Promise.all(message.scripts.map(load)).then((results) => send({ type: 'loaded', results }))
    case 'run':
      return void run(message)
  }
}

async function load({ index, script }: ScriptToLoad): Promise<LoadResult> {
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(script).href)) as Record<string, unknown>
  } catch (error) {
    return { index, ok: false, reason: loadFailure(error) }
  }
  const handlers: Partial<Record<HandlerName, Handler>> = {}
  for (const name of HANDLER_NAMES) {
    const handler = exported(module, name)
    if (handler !== undefined) handlers[name] = handler
  }
  loaded.set(index, handlers)
  return { index, ok: true, handlers: Object.keys(handlers) as HandlerName[] }
}

/** `exports.onExecutePostLogin = …` (CommonJS, seen through import as the default export too) or `export const …`. */
function exported(module: Record<string, unknown>, name: HandlerName): Handler | undefined {
  if (typeof module[name] === 'function') return module[name] as Handler
  const fallback = module.default as Record<string, unknown> | undefined
  const value = fallback !== null && (typeof fallback === 'object' || typeof fallback === 'function') ? fallback[name] : undefined
  return typeof value === 'function' ? (value as Handler) : undefined
}

/** One line: what went wrong loading the file, with the line of a syntax error. */
function loadFailure(error: unknown): string {
  if (!(error instanceof Error)) return `it threw ${String(error)}`
  const message = error.message.split('\n')[0]
  if (error.name !== 'SyntaxError') return `${error.name}: ${message}`
  // V8 puts the place of a syntax error first in the stack: "/path/file.js:12" or "file:///path/file.js:12"
  const line = /:(\d+)\s*$/m.exec(error.stack?.split('\n')[0] ?? '')?.[1]
  return `syntax error${line === undefined ? '' : ` at line ${line}`}: ${message}`
}

async function run(request: RunRequest): Promise<void> {
  // What earlier runs answered goes out first: this one may never give the thread back.
  sender.flush()
  // Gatehouse reads this when the thread stops: runs after it never started, and can go elsewhere.
  Atomics.store(lastStarted, 0, request.id)
  const handler = loaded.get(request.action)?.[request.handler]
  if (handler === undefined) {
    return send({ type: 'done', id: request.id, ok: false, error: { name: 'TypeError', message: `the Action does not export ${request.handler}` } })
  }
  const { api, commands } = createApi(request.handler, request.event, request.context)
  try {
    await handler(request.event, api)
  } catch (error) {
    return send({ type: 'done', id: request.id, ok: false, error: thrown(error) })
  }
  send({ type: 'done', id: request.id, ok: true, commands })
}

function thrown(error: unknown): ThrownError {
  if (error instanceof Error) return { name: error.name, message: error.message, ...(error.stack === undefined ? {} : { stack: error.stack }) }
  // `throw 'text'` and the like: what Auth0 shows is the value itself
  return { name: 'Error', message: typeof error === 'string' ? error : safeString(error) }
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
