// Runs one Action's handler and turns what happened into what the flow needs: the commands it
// recorded, or the OAuth error Auth0 answers for an Action that throws (access_denied) or runs out
// of time (server_error). Every run is logged and recorded in the event log with its timing.
import type { Config } from '../config/types.js'
import { AccessDenied, OAuthError } from '../errors/oauth-errors.js'
import type { EventLog } from '../events/event-log.js'
import type { Store } from '../store/store.js'
import type { Clock } from '../util/clock.js'
import type { ActionCaches } from './cache.js'
import type { ClaimCheck } from './claims.js'
import type { ActionRuntime, LoadedAction } from './load.js'
import type { ActionLog, RunOutcome } from './pool.js'
import type { Command, HandlerName, RunContext } from './protocol.js'

/** What the Actions' stages use. */
export interface ActionsDeps {
  runtime: ActionRuntime
  config: Config
  store: Store
  clock: Clock
  events: EventLog
  log: ActionLog
  caches: ActionCaches
  /** who api.redirect.encodeToken says signed: the issuer's host, as Auth0 names its tenant's domain */
  tokenIssuer: string
  /** event.tenant.id */
  tenantId: string
  /** why Auth0 would refuse a custom claim, if it would */
  claimCheck: ClaimCheck
}

export interface Execution {
  action: LoadedAction
  handler: HandlerName
  event: unknown
  context: Omit<RunContext, 'now' | 'cache'>
  /** for the event log: whose flow this is */
  flow: { client_id: string; user_id?: string; state?: string }
}

/** Longest part of an Action's error message that goes into error_description. */
const MAX_MESSAGE = 300

export const actionLabel = (action: LoadedAction, handler: HandlerName) =>
  `Action "${action.config.name}" (${action.config.trigger}${handler === 'onContinuePostLogin' ? ', onContinuePostLogin' : ''})`

/** Runs the handler; the commands it recorded, or the flow's error when it did not finish well. */
export async function execute(deps: ActionsDeps, run: Execution): Promise<Command[]> {
  const { action, handler } = run
  const trigger = action.config.trigger
  const now = deps.clock.now()
  const started = performance.now()
  const outcome = await deps.runtime.run(action, {
    handler,
    event: run.event,
    context: { ...run.context, now, cache: deps.caches.snapshot(trigger, now) },
  })
  const ms = Math.round(performance.now() - started)
  const label = actionLabel(action, handler)
  if (outcome.kind === 'done') {
    for (const command of outcome.commands) {
      if (command.type === 'cache') deps.caches.write(trigger, command.key, command.record, deps.clock.now())
      if (command.type === 'ignored') deps.log.warn(`${label} called api.${command.method}, which Gatehouse does not support: ignored`)
    }
    deps.events.record({ kind: 'action.executed', ...run.flow, summary: `${label} ran in ${ms} ms: ${describe(outcome.commands)}` })
    return outcome.commands
  }
  const { error, why, stack } = failure(action, outcome)
  deps.log.error({ action: action.config.name, trigger, handler, ms, stack }, `${label} failed after ${ms} ms: ${why}`)
  deps.events.record({ kind: 'action.failed', ...run.flow, summary: `${label} failed after ${ms} ms: ${why}`, detail: `${error.error}: ${error.message}` })
  throw error
}

function failure(action: LoadedAction, outcome: Exclude<RunOutcome, { kind: 'done' }>): { error: OAuthError; why: string; stack?: string } {
  const name = action.config.name
  switch (outcome.kind) {
    case 'threw': {
      const message = clip(outcome.error.message || outcome.error.name)
      // Auth0 answers an uncaught error in an Action with access_denied and the error's message.
      return { error: new AccessDenied(`Action "${name}" failed: ${message}`), why: `${outcome.error.name}: ${message}`, stack: outcome.error.stack }
    }
    case 'timeout': {
      const why = `exceeded allowed execution time (${action.config.timeoutMs} ms)`
      return { error: new OAuthError('server_error', `Action "${name}" ${why}`, 500), why }
    }
    case 'stopped':
      return { error: new OAuthError('server_error', `Action "${name}" could not finish: ${outcome.reason}`, 500), why: outcome.reason }
  }
}

const clip = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text)

/** A few words on what the Action asked for, for the event log. */
function describe(commands: readonly Command[]): string {
  const deny = commands.find((c) => c.type === 'deny')
  if (deny?.type === 'deny') return `denied${deny.code === undefined ? '' : ` (${deny.code})`}: ${deny.reason}`
  const count = (type: Command['type']) => commands.filter((c) => c.type === type).length
  const parts = [
    [count('claim'), 'custom claim'],
    [count('scope'), 'scope change'],
    [count('metadata'), 'metadata change'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`)
  const redirect = commands.findLast((c) => c.type === 'redirect')
  if (redirect?.type === 'redirect') parts.push(`redirect to ${redirect.url}`)
  return parts.length > 0 ? parts.join(', ') : 'no changes'
}
