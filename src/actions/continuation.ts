// A login paused by an Action's api.redirect.sendUserTo: what the Actions had done so far, kept with
// the paused /authorize request until the browser comes back to /continue?state=…, where the same
// Action's onContinuePostLogin runs and the flow goes on.
import type { TokenPlan, TokenStage } from '../tokens/plan.js'
import { noMetadataChanges, type MetadataChanges } from './user-record.js'

/** What the post-login Actions asked for before the pause, applied again to the resumed plan. */
export interface ActionEffects {
  accessClaims: Record<string, unknown>
  idClaims: Record<string, unknown>
  scopeChanges: { change: 'add' | 'remove'; scope: string }[]
  metadata: MetadataChanges
}

export const noEffects = (): ActionEffects => ({ accessClaims: {}, idClaims: {}, scopeChanges: [], metadata: noMetadataChanges() })

/** Plays the effects onto a plan made afresh. */
export function replayEffects(plan: TokenPlan, effects: ActionEffects): void {
  Object.assign(plan.accessClaims, effects.accessClaims)
  Object.assign(plan.idClaims, effects.idClaims)
  for (const { change, scope } of effects.scopeChanges) changeScope(plan, change, scope)
}

export function changeScope(plan: TokenPlan, change: 'add' | 'remove', scope: string): void {
  if (change === 'remove') plan.scopes = plan.scopes.filter((s) => s !== scope)
  else if (!plan.scopes.includes(scope)) plan.scopes = [...plan.scopes, scope]
}

/** Stored with the paused request (plain data). */
export interface ActionsPause {
  /** position in the post-login Actions of the one that redirected */
  step: number
  action: string
  userId: string
  /** the session the login was paused in: only it may continue */
  sessionId?: string
  effects: ActionEffects
}

/** Thrown by the post-login stage to pause the login; /authorize turns it into the redirect. */
export class ActionsRedirect extends Error {
  constructor(
    readonly url: string,
    readonly query: Readonly<Record<string, string>>,
    readonly pause: ActionsPause,
  ) {
    super(`Action "${pause.action}" sent the user to ${url}`)
    this.name = 'ActionsRedirect'
  }

  /** The URL the browser goes to: the Action's, its query, and the state to come back to /continue with. */
  location(state: string): string {
    const url = new URL(this.url)
    for (const [name, value] of Object.entries(this.query)) url.searchParams.set(name, value)
    url.searchParams.set('state', state)
    return url.href
  }
}

/** A stage that can take up a paused login where it stopped. */
export interface ResumableStage extends TokenStage {
  resuming(pause: ActionsPause, state: string): TokenStage
  /** forgets what the Actions put in api.cache */
  clearCache(): void
}

const isResumable = (stage: TokenStage): stage is ResumableStage => typeof (stage as Partial<ResumableStage>).resuming === 'function'

/** The stages of a resumed login: the one that paused it continues, the others run as usual. */
export function resumedStages(stages: readonly TokenStage[], pause: ActionsPause, state: string): TokenStage[] {
  return stages.map((stage) => (isResumable(stage) ? stage.resuming(pause, state) : stage))
}
