// What Gatehouse and its Action worker threads tell each other: plain data, copied between threads.
// The worker runs the user's code and only records what `api` was asked; Gatehouse decides what the
// requests mean once the Action has finished, so an Action that fails or is stopped changes nothing.

/** The handlers an Action file may export, as Auth0 names them. */
export type HandlerName = 'onExecutePostLogin' | 'onContinuePostLogin' | 'onExecuteCredentialsExchange'

export const HANDLER_NAMES: readonly HandlerName[] = ['onExecutePostLogin', 'onContinuePostLogin', 'onExecuteCredentialsExchange']

export interface ScriptToLoad {
  index: number
  /** absolute path */
  script: string
}

/** What loading one script found: the handlers it exports, or why it could not be loaded (one line). */
export type LoadResult = { index: number; ok: true; handlers: HandlerName[] } | { index: number; ok: false; reason: string }

/** An entry of `api.cache` (Auth0's CacheRecord). */
export interface CacheRecord {
  value: string
  /** ms since the epoch */
  expires_at: number
}

/** What the worker needs besides the event to answer `api` the way Auth0 does. */
export interface RunContext {
  /** ms since the epoch, from Gatehouse's clock */
  now: number
  /** the trigger's cache entries that are still live */
  cache: Record<string, CacheRecord>
  /** who `api.redirect.encodeToken` says signed (Auth0: the tenant's domain) */
  tokenIssuer: string
  /** the user a redirect token is about (post-login) */
  userId?: string
  /** the `state` of a paused login, which a token sent back to /continue must carry */
  continueState?: string
}

export interface RunRequest {
  type: 'run'
  id: number
  /** index of the Action in the config */
  action: number
  handler: HandlerName
  event: unknown
  context: RunContext
}

/** One request an Action made through `api`, in the order it was made. */
export type Command =
  | { type: 'deny'; reason: string; code?: string }
  | { type: 'claim'; token: 'access' | 'id'; name: string; value: unknown }
  | { type: 'scope'; change: 'add' | 'remove'; scope: string }
  | { type: 'metadata'; field: 'app_metadata' | 'user_metadata'; name: string; value: unknown }
  | { type: 'redirect'; url: string; query: Record<string, string> }
  /** a cache write: the new record, or none for a delete */
  | { type: 'cache'; key: string; record?: CacheRecord }
  /** an `api` method Auth0 has and Gatehouse does not act on */
  | { type: 'ignored'; method: string }

/** An error from the user's code, as far as it can be described across threads. */
export interface ThrownError {
  name: string
  message: string
  stack?: string
}

export type RunReply = { type: 'done'; id: number; ok: true; commands: Command[] } | { type: 'done'; id: number; ok: false; error: ThrownError }

export type ToWorker = { type: 'load'; scripts: ScriptToLoad[] } | RunRequest | { type: 'ping' }

export type FromWorker = { type: 'loaded'; results: LoadResult[] } | RunReply | { type: 'pong' }

/** What a thread is given at its start: where it writes the id of each run it starts. */
export interface WorkerData {
  lastStarted: Int32Array
}
