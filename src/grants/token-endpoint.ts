import { authenticateClient } from '../clients/authenticate.js'
import type { GrantType } from '../config/types.js'
import { InvalidRequest, UnsupportedGrantType } from '../errors/oauth-errors.js'
import { readParam } from '../util/form-params.js'
import type { RequestFacts } from '../tokens/plan.js'
import type { GrantDeps, TokenResponse } from './context.js'
import { grantHandlers } from './index.js'

/** POST /oauth/token without HTTP: reads parameters, authenticates the client, runs the grant. */
export async function handleTokenRequest(
  deps: GrantDeps,
  body: unknown,
  authorization: string | undefined,
  request: RequestFacts,
): Promise<{ response: TokenResponse; clientId: string; grantType: string }> {
  const params = singleValues(body)
  const grantType = params.grant_type
  if (grantType === undefined) throw new InvalidRequest('missing required parameter: grant_type')
  // Own keys only: inherited names such as "constructor" must not resolve to a handler.
  const handler = Object.hasOwn(grantHandlers, grantType) ? grantHandlers[grantType as GrantType] : undefined
  if (!handler) throw new UnsupportedGrantType(`unsupported grant_type: ${grantType}`)
  const auth = await authenticateClient(deps.store, authorization, params)
  const response = await handler({ deps, params, auth, ip: request.ip, request })
  return { response, clientId: auth.client.client_id, grantType }
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
