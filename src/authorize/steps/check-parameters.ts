import { InvalidRequest } from '../../errors/oauth-errors.js'
import type { AuthorizeContext } from '../context.js'

// Repeated or oversized parameters are rejected (RFC 6749 §3.1), now that the error can be redirected.
export function checkParameters(ctx: AuthorizeContext): void {
  const [problem] = Object.values(ctx.problems)
  if (problem) throw new InvalidRequest(problem)
}
