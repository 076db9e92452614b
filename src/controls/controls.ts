// The test controls of one server: present only when --test-controls is on. The one part of Gatehouse
// allowed to reach into the others' state (store, clock, scenarios, events), and only from here.
import type { Config } from '../config/types.js'
import type { EventLog } from '../events/event-log.js'
import type { Keystore } from '../keys/keystore.js'
import type { Store } from '../store/store.js'
import type { ControllableClock } from '../util/clock.js'
import type { IdGenerator } from '../util/ids.js'
import { clockState, type ClockState } from './clock-control.js'
import { ControlConflict } from './conflict.js'
import { ControlInputError } from './input.js'
import { createTestTokenMinter, parseMintRequest, type MintedTestToken } from './mint-token.js'
import { resetStore, type StoreResetReport } from './reset.js'
import { parseScenario } from './scenario-input.js'
import { isLoginAs, type Scenario } from './scenario-types.js'
import type { Scenarios } from './scenarios.js'

export interface ControlDeps {
  config: Config
  store: Store
  keystore: Keystore
  events: EventLog
  newId: IdGenerator
  clock: ControllableClock
  scenarios: Scenarios
  /** puts the config file's tenant (and the playground client, when on) into the store */
  seed: () => Promise<void>
  playground: boolean
  /** forgets what lives outside the store too (the Actions' api.cache) */
  forgetCaches?: () => void
}

export interface ResetReport extends StoreResetReport {
  reset: true
  scenarios_cleared: number
  clock: ClockState
  /** the id of the controls.reset event: GET /_gatehouse/events?since=<it> gives what happened after */
  events_since: number
}

export interface Controls {
  readonly deps: ControlDeps
  /** one at a time: a second reset waits for the first */
  reset(): Promise<ResetReport>
  addScenario(body: unknown): Promise<Scenario>
  mintToken(body: unknown): Promise<MintedTestToken>
}

export function createControls(deps: ControlDeps): Controls {
  const minter = createTestTokenMinter(deps)
  let resetting: Promise<unknown> = Promise.resolve()

  async function reset(): Promise<ResetReport> {
    const { scenarios, clock, events } = deps
    // Scenarios first: none of them may answer a request while the tenant is being put back.
    const cleared = scenarios.clear()
    clock.useBase()
    const report = await resetStore(deps)
    deps.forgetCaches?.()
    events.clear()
    events.record({ kind: 'controls.reset', summary: 'the test controls put the tenant back to the config file', detail: `deleted: ${describeCounts(report.deleted)}` })
    return { reset: true, ...report, scenarios_cleared: cleared, clock: clockState(clock), events_since: events.lastId() }
  }

  return {
    deps,
    reset() {
      const run = resetting.then(reset, reset)
      resetting = run.catch(() => undefined)
      return run
    },
    async addScenario(body) {
      const spec = parseScenario(body)
      if (isLoginAs(spec.respond) && (await deps.store.get('user', spec.respond.login_as)) === undefined) {
        throw new ControlInputError('respond.login_as', `respond.login_as names no user of this tenant: ${spec.respond.login_as}`)
      }
      const scenario = deps.scenarios.add(spec)
      if (scenario === undefined) throw new ControlConflict('too_many_scenarios', 'the scenario queue is full: DELETE /_gatehouse/scenarios, or let some be used')
      return scenario
    },
    mintToken: (body) => minter.mint(parseMintRequest(body)),
  }
}

const describeCounts = (counts: Partial<Record<string, number>>): string =>
  Object.entries(counts)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ') || 'nothing'
