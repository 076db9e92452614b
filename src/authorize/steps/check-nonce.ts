import { InvalidRequest } from '../../errors/oauth-errors.js'
import type { AuthorizeContext } from '../context.js'

// An ID token from /authorize must be bound to the request (OIDC Core §3.2.2.1, §3.3.2.11).
export function checkNonce(ctx: AuthorizeContext): void {
  if (!ctx.responseTypes.has('id_token')) return
  if (!ctx.scopes.includes('openid')) {
    throw new InvalidRequest('response_type id_token needs the openid scope')
  }
  if (ctx.params.nonce === undefined) {
    throw new InvalidRequest('nonce is required when response_type includes id_token')
  }
}
