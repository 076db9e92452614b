import { createHash, timingSafeEqual } from 'node:crypto'
import type { Store } from '../store/store.js'
import type { Interaction } from './models.js'

export const loadInteraction = (store: Store, uid: string): Promise<Interaction | undefined> =>
  store.get<Interaction>('interaction', uid)

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The form's CSRF token must be the one issued with this interaction. */
export const csrfMatches = (interaction: Interaction, token: unknown): boolean =>
  typeof token === 'string' && timingSafeEqual(digest(interaction.csrf), digest(token))

/** Keeps the interaction's remaining lifetime when it is updated. */
export async function updateInteraction(
  store: Store,
  interaction: Interaction,
  ttlSeconds: number,
  nowMs: number,
): Promise<void> {
  const left = Math.max(1, Math.ceil(ttlSeconds - (nowMs - interaction.createdAt) / 1000))
  await store.set('interaction', interaction.uid, interaction, left)
}
