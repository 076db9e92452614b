import { InvalidRequest } from '../../errors/oauth-errors.js'
import type { AuthorizeContext } from '../context.js'

const CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/

// PKCE (RFC 7636): S256 only (RFC 9700 §2.1.1); public clients must use it for the code flow.
export function checkPkce(ctx: AuthorizeContext): void {
  if (!ctx.responseTypes.has('code')) return
  const { code_challenge: challenge, code_challenge_method: method } = ctx.params
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequest('code_challenge_method given without code_challenge')
    if (ctx.client!.token_endpoint_auth_method === 'none') {
      throw new InvalidRequest('code_challenge is required: public clients must use PKCE (S256)')
    }
    return
  }
  if (method !== 'S256') {
    throw new InvalidRequest(`code_challenge_method must be S256 (got ${method ?? 'none, which means plain'})`)
  }
  if (!CHALLENGE.test(challenge)) {
    throw new InvalidRequest('code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~]')
  }
}
