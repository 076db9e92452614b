// The user's Actions at start: every file must exist, load and export its trigger's handler, or
// Gatehouse does not start (a ConfigError: exit 2 and one line naming the Action and its file).
import { statSync } from 'node:fs'
import { ConfigError } from '../config/load.js'
import type { ActionConfig, ActionTrigger } from '../config/types.js'
import { createActionPool, type ActionLog, type RunInput, type RunOutcome } from './pool.js'
import type { HandlerName } from './protocol.js'

/** The handler each trigger calls first, as Auth0 names it. */
export const ENTRY_HANDLER: Record<ActionTrigger, HandlerName> = {
  'post-login': 'onExecutePostLogin',
  'credentials-exchange': 'onExecuteCredentialsExchange',
}

export interface LoadedAction {
  readonly config: ActionConfig
  /** its place in the config, which is also its order in its trigger's flow */
  readonly index: number
  readonly handlers: ReadonlySet<HandlerName>
}

/** The loaded Actions and the threads that run them. */
export interface ActionRuntime {
  readonly actions: readonly LoadedAction[]
  run(action: LoadedAction, input: Omit<RunInput, 'action' | 'timeoutMs'>): Promise<RunOutcome>
  close(): Promise<void>
}

/** Loads the Actions; none configured, no threads. */
export async function startActions(actions: readonly ActionConfig[], log: ActionLog): Promise<ActionRuntime | undefined> {
  if (actions.length === 0) return undefined
  actions.forEach(checkFile)
  const pool = createActionPool({ scripts: actions.map((action, index) => ({ index, script: action.script })), log })
  try {
    const results = await pool.start().catch((error: Error) => {
      throw new ConfigError(`actions: cannot load the Action files: ${error.message}`)
    })
    const loaded = actions.map((config, index): LoadedAction => {
      const result = results.find((r) => r.index === index)
      if (result === undefined || !result.ok) throw new ConfigError(`${where(config)}: cannot load the file: ${oneLine(result?.reason ?? 'no answer')}`)
      const handlers = new Set(result.handlers)
      const entry = ENTRY_HANDLER[config.trigger]
      if (!handlers.has(entry)) {
        throw new ConfigError(`${where(config)}: the file does not export ${entry}(event, api), which a ${config.trigger} Action must`)
      }
      return { config, index, handlers }
    })
    return {
      actions: loaded,
      run: (action, input) => pool.run({ ...input, action: action.index, timeoutMs: action.config.timeoutMs }),
      close: () => pool.close(),
    }
  } catch (error) {
    await pool.close()
    throw error
  }
}

const where = (action: ActionConfig) => `${action.script}: Action "${action.name}"`

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ')

function checkFile(action: ActionConfig): void {
  let isFile: boolean
  try {
    isFile = statSync(action.script).isFile()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ConfigError(`${where(action)}: ${code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`}`)
  }
  if (!isFile) throw new ConfigError(`${where(action)}: is a directory, not a file`)
}
