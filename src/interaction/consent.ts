import type { ResourceServer } from '../config/types.js'
import { isOidcScope, OIDC_SCOPE_DESCRIPTIONS } from '../scopes/scopes.js'
import type { Store } from '../store/store.js'
import { updateInteraction } from './interactions.js'
import type { InteractionDeps } from './login.js'
import { grantId, type Grant, type Interaction, type Session } from './models.js'

/** Records the user's answer; "allow" adds the requested scopes to the stored grant. */
export async function decideConsent(
  deps: InteractionDeps,
  interaction: Interaction,
  session: Session,
  decision: 'allow' | 'deny',
): Promise<void> {
  const { store, config, clock } = deps
  if (decision === 'allow') await addToGrant(store, session.sub, interaction)
  const answered: Interaction = { ...interaction, consent: { sub: session.sub, decision } }
  await updateInteraction(store, answered, config.ttl.interaction, clock.now())
}

async function addToGrant(store: Store, sub: string, interaction: Interaction): Promise<void> {
  const audience = interaction.audience ?? ''
  const id = grantId(sub, interaction.clientId, audience)
  const existing = await store.get<Grant>('grant', id)
  const scopes = [...new Set([...(existing?.scopes ?? []), ...interaction.scopes])]
  await store.set<Grant>('grant', id, { sub, clientId: interaction.clientId, audience, scopes })
}

export interface ScopeLine {
  value: string
  description: string
}

/** What the consent page asks: what the app learns about the user, apart from what it may do at the API. */
export interface ConsentRequest {
  identity: ScopeLine[]
  api?: { name: string; scopes: ScopeLine[] }
}

export function describeConsent(scopes: readonly string[], api?: ResourceServer): ConsentRequest {
  const identity = scopes.filter(isOidcScope).map((value) => ({ value, description: OIDC_SCOPE_DESCRIPTIONS[value] }))
  if (!api) return { identity }
  const apiScopes = scopes
    .filter((value) => !isOidcScope(value))
    .map((value) => ({ value, description: api.scopes.find((s) => s.value === value)?.description ?? '' }))
  return { identity, api: { name: api.name, scopes: apiScopes } }
}
