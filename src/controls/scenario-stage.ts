// The token plan's last stage: a test scenario's claims and lifetime, merged into the next tokens of the
// flow it matches. Protocol claims were refused when the scenario was queued, and the signer keeps them anyway.
import type { TokenStage, TokenTrigger } from '../tokens/plan.js'
import type { ScenarioMatcher } from './scenarios.js'
import { isClaims, type ScenarioEndpoint } from './scenario-types.js'

const ENDPOINT_OF: Record<TokenTrigger, ScenarioEndpoint> = {
  authorize: 'authorize',
  authorization_code: 'token',
  refresh_token: 'token',
  password: 'token',
  client_credentials: 'token',
}

export function scenarioTokenStage(scenarios: ScenarioMatcher): TokenStage {
  return async (call, plan) => {
    const on = ENDPOINT_OF[call.trigger]
    const facts = {
      client_id: call.client.client_id,
      user_id: call.user?.user_id,
      grant_type: on === 'token' ? call.trigger : undefined,
    }
    const scenario = scenarios.take(on, facts, ['claims'])
    if (scenario === undefined || !isClaims(scenario.respond)) return
    const { claims, expires_in: expiresIn } = scenario.respond
    if (claims !== undefined) {
      plan.accessClaims = { ...plan.accessClaims, ...claims }
      plan.idClaims = { ...plan.idClaims, ...claims }
    }
    if (expiresIn !== undefined) plan.accessLifetime = expiresIn
  }
}
