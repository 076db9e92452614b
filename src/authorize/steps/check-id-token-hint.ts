import { InvalidRequest, OAuthError } from '../../errors/oauth-errors.js'
import { verifyIdTokenHint } from '../../logout/id-token-hint.js'
import type { AuthorizeContext } from '../context.js'

// id_token_hint (OIDC Core §3.1.2.1): an ID token this issuer gave the client; checkSession compares its sub.
export async function checkIdTokenHint(ctx: AuthorizeContext): Promise<void> {
  const raw = ctx.params.id_token_hint
  if (raw === undefined) return
  let hint
  try {
    hint = await verifyIdTokenHint(ctx.deps, raw)
  } catch (err) {
    // The client and redirect_uri are already trusted here, so the error goes back to the client.
    if (err instanceof OAuthError) throw new InvalidRequest(err.message)
    throw err
  }
  if (hint.clientId !== ctx.client!.client_id) {
    throw new InvalidRequest(`id_token_hint was issued to ${hint.clientId}, not to ${ctx.client!.client_id}`)
  }
  ctx.idTokenHintSub = hint.sub
}
