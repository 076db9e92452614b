import { authenticateClient } from '../clients/authenticate.js'
import type { GrantType } from '../config/types.js'
import { scriptedError } from '../controls/scenario-errors.js'
import { isError } from '../controls/scenario-types.js'
import type { ScenarioDeps } from '../controls/scenarios.js'
import { InvalidRequest, UnsupportedGrantType } from '../errors/oauth-errors.js'
import { readParam } from '../util/form-params.js'
import type { RequestFacts } from '../tokens/plan.js'
import type { GrantDeps, IssuedTokens } from './context.js'
import { grantHandlers } from './index.js'

/** POST /oauth/token without HTTP: reads parameters, authenticates the client, runs the grant. */
export async function handleTokenRequest(
  deps: GrantDeps & ScenarioDeps,
  body: unknown,
  authorization: string | undefined,
  request: RequestFacts,
): Promise<IssuedTokens & { clientId: string; grantType: string }> {
  const params = singleValues(body)
  const grantType = params.grant_type
  if (grantType === undefined) throw new InvalidRequest('missing required parameter: grant_type')
  // Own keys only: inherited names such as "constructor" must not resolve to a handler.
  const handler = Object.hasOwn(grantHandlers, grantType) ? grantHandlers[grantType as GrantType] : undefined
  if (!handler) throw new UnsupportedGrantType(`unsupported grant_type: ${grantType}`)
  const auth = await authenticateClient(deps.store, authorization, params)
  // Test controls only: a scripted error, before the grant spends anything (a code, a rotating refresh token).
  const scripted = deps.scenarios?.take('token', { client_id: auth.client.client_id, grant_type: grantType }, ['error'])
  if (scripted !== undefined && isError(scripted.respond)) throw scriptedError('token', scripted.respond)
  const issued = await handler({ deps, params, auth, ip: request.ip, request })
  return { ...issued, clientId: auth.client.client_id, grantType }
}

// Each parameter at most once (RFC 6749 §3.2); form bodies and JSON bodies (as Auth0 accepts) alike.
function singleValues(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequest('the request body must be application/x-www-form-urlencoded or a JSON object')
  }
  const params: Record<string, string> = {}
  for (const [name, value] of Object.entries(body)) {
    // JSON bodies may carry numbers and booleans; everything else is read like a form parameter.
    const read = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value === null ? undefined : readParam(body, name)
    if (read !== undefined) params[name] = read
  }
  return params
}
