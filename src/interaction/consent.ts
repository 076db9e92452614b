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
