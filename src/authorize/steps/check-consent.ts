import { AccessDenied } from '../../errors/oauth-errors.js'
import { grantId, type Grant } from '../../interaction/models.js'
import type { AuthorizeContext } from '../context.js'
import { requireInteraction } from '../interaction-needed.js'

// The stored grant must cover every requested scope; first-party clients skip consent where the API allows it.
export async function checkConsent(ctx: AuthorizeContext): Promise<void> {
  const client = ctx.client!
  const api = ctx.api
  const answer = ctx.interaction?.consent?.sub === ctx.user!.user_id ? ctx.interaction.consent.decision : undefined
  if (answer === 'deny') throw new AccessDenied('User did not authorize the request')
  const skippable = client.is_first_party && (api === undefined || api.skip_consent_for_verifiable_first_party_clients)
  // prompt=consent asks again even where consent could be skipped (OIDC Core §3.1.2.1).
  if ((skippable && !ctx.prompts.has('consent')) || answer === 'allow') return
  if (ctx.prompts.has('consent')) requireInteraction(ctx, 'consent', 'prompt=consent asks again')
  const grant = await ctx.deps.store.get<Grant>('grant', grantId(ctx.user!.user_id, client.client_id, api?.identifier ?? ''))
  const missing = ctx.scopes.filter((scope) => !grant?.scopes.includes(scope))
  if (missing.length > 0) requireInteraction(ctx, 'consent', `${missing.join(' ')} not yet granted`)
}
