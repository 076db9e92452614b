import { InvalidRequest, OAuthError } from '../../errors/oauth-errors.js'
import type { AuthorizeContext } from '../context.js'

// OIDC Core §3.1.2.6: request objects and dynamic registration are refused by name, not silently ignored.
const UNSUPPORTED = {
  request: 'request_not_supported',
  request_uri: 'request_uri_not_supported',
  registration: 'registration_not_supported',
} as const

// Repeated or oversized parameters are rejected (RFC 6749 §3.1), now that the error can be redirected.
export function checkParameters(ctx: AuthorizeContext): void {
  const [problem] = Object.values(ctx.problems)
  if (problem) throw new InvalidRequest(problem)
  for (const [name, error] of Object.entries(UNSUPPORTED)) {
    if (ctx.params[name as keyof typeof UNSUPPORTED] !== undefined) {
      throw new OAuthError(error, `the ${name} parameter is not supported (see request_parameter_supported in discovery)`)
    }
  }
}
