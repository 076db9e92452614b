import { CallbackMismatch, UntrustedRequest } from '../../errors/oauth-errors.js'
import type { AuthorizeContext } from '../context.js'

// Exact string match against the client's callbacks (RFC 6749 §3.1.2.3, RFC 9700 §4.1.3).
// Errors up to and including this step are shown as a page; later ones go to the redirect_uri.
export function checkRedirectUri(ctx: AuthorizeContext): void {
  const client = ctx.client!
  const problem = ctx.problems.redirect_uri
  if (problem) throw new UntrustedRequest('invalid_request', problem)
  const requested = ctx.params.redirect_uri
  if (requested === undefined) {
    if (client.callbacks.length === 1) {
      ctx.redirectUri = client.callbacks[0]
      return
    }
    throw new CallbackMismatch(
      client.callbacks.length === 0
        ? `client ${client.client_id} has no callbacks configured`
        : `missing required parameter: redirect_uri (client ${client.client_id} has ${client.callbacks.length} callbacks)`,
      client,
    )
  }
  if (!client.callbacks.includes(requested)) {
    throw new CallbackMismatch(`redirect_uri ${requested} is not one of the callbacks of client ${client.client_id}`, client, requested)
  }
  ctx.redirectUri = requested
}
