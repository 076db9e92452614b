import { clientHasWebOrigin } from '../../cors/web-origins.js'
import { InvalidRequest } from '../../errors/oauth-errors.js'
import type { AuthorizeContext, ResponseModeName } from '../context.js'

const MODES: readonly string[] = ['query', 'fragment', 'form_post', 'web_message'] satisfies ResponseModeName[]

// Tokens never travel in the query (OAuth 2.0 Multiple Response Types §5); web_message posts only to a web origin.
export function checkResponseMode(ctx: AuthorizeContext): void {
  const requested = ctx.params.response_mode
  const carriesTokens = ctx.responseTypes.has('token') || ctx.responseTypes.has('id_token')
  if (requested === undefined) {
    ctx.responseMode = carriesTokens ? 'fragment' : 'query'
    return
  }
  if (!MODES.includes(requested)) throw new InvalidRequest(`unsupported response_mode: ${requested}`)
  if (requested === 'query' && carriesTokens) {
    throw new InvalidRequest('response_mode query is not allowed when tokens are returned from /authorize')
  }
  if (requested === 'web_message') {
    const origin = new URL(ctx.redirectUri!).origin
    if (!clientHasWebOrigin(ctx.client!, origin)) {
      throw new InvalidRequest(`response_mode web_message: ${origin} is not one of the client's web_origins`)
    }
  }
  ctx.responseMode = requested as ResponseModeName
}
