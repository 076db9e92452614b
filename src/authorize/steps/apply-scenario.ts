import { scriptedError } from '../../controls/scenario-errors.js'
import { isError, isLoginAs } from '../../controls/scenario-types.js'
import type { ScenarioDeps } from '../../controls/scenarios.js'
import type { AuthorizeContext, AuthorizeDeps } from '../context.js'
import { InteractionNeeded } from '../interaction-needed.js'
import { paramsToResume } from '../params.js'

// Test controls only: a scenario queued for this client answers once every check of the request has
// passed, just before the session is looked at. An error goes back by the response mode; login_as sends
// the browser through the login page's route, which signs the user in without showing the page.
export function applyScenario(ctx: AuthorizeContext): void {
  const { scenarios, newId, clock } = ctx.deps as AuthorizeDeps & ScenarioDeps
  // A resumed request is the same /authorize: its scenario, if any, was taken when it arrived.
  if (scenarios === undefined || ctx.interaction !== undefined) return
  const client = ctx.client!
  const scenario = scenarios.take('authorize', { client_id: client.client_id }, ['error', 'login_as'])
  if (scenario === undefined) return
  if (isError(scenario.respond)) throw scriptedError('authorize', scenario.respond)
  if (!isLoginAs(scenario.respond)) return
  const userId = scenario.respond.login_as
  const reason = `login required: test scenario ${scenario.id} signs ${userId} in without the login page`
  // The interaction is named here, so the login route can find the user it signs in.
  ctx.interaction = {
    uid: newId(),
    csrf: newId(),
    params: paramsToResume(ctx.params),
    clientId: client.client_id,
    audience: ctx.api?.identifier,
    scopes: ctx.scopes,
    prompt: 'login',
    reason,
    createdAt: clock.now(),
  }
  scenarios.holdLogin(ctx.interaction.uid, userId)
  throw new InteractionNeeded('login', reason)
}
