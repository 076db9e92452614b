import { AccessDenied, ConsentRequired } from '../../errors/oauth-errors.js'
import { grantId, type Grant } from '../../interaction/models.js'
import type { AuthorizeContext } from '../context.js'
import { InteractionNeeded } from '../interaction-needed.js'

// The stored grant must cover every requested scope; first-party clients skip consent where the API allows it.
export async function checkConsent(ctx: AuthorizeContext): Promise<void> {
  const client = ctx.client!
  const api = ctx.api
  const answer = ctx.interaction?.consent?.sub === ctx.user!.user_id ? ctx.interaction.consent.decision : undefined
  if (answer === 'deny') throw new AccessDenied('User did not authorize the request')
  const skippable = client.is_first_party && (api === undefined || api.skip_consent_for_verifiable_first_party_clients)
  // prompt=consent asks again even where consent could be skipped (OIDC Core §3.1.2.1).
  if (skippable && !ctx.prompts.has('consent')) return
  const consentedJustNow = answer === 'allow'
  const grant = await ctx.deps.store.get<Grant>('grant', grantId(ctx.user!.user_id, client.client_id, api?.identifier ?? ''))
  const missing = ctx.scopes.filter((scope) => !grant?.scopes.includes(scope))

  let reason: string | undefined
  if (ctx.prompts.has('consent') && !consentedJustNow) reason = 'prompt=consent asks again'
  else if (missing.length > 0 && !consentedJustNow) {
    reason = `${missing.join(' ')} not yet granted`
  }
  if (reason !== undefined) {
    if (ctx.prompts.has('none')) throw new ConsentRequired(`${reason}, and prompt=none does not allow the consent page`)
    throw new InteractionNeeded('consent', `consent required: ${reason}`)
  }
}
