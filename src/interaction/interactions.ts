import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { Store } from '../store/store.js'
import type { Interaction } from './models.js'

export const loadInteraction = (store: Store, uid: string): Promise<Interaction | undefined> =>
  store.get<Interaction>('interaction', uid)

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The form's CSRF token: the interaction's, bound to the session the page was shown to when there is one. */
export const formToken = (interaction: Interaction, sessionId?: string): string =>
  sessionId === undefined ? interaction.csrf : createHmac('sha256', interaction.csrf).update(sessionId).digest('base64url')

/**
 * A login or consent form really sent from its page: the CSRF token issued with this interaction (and
 * session), and, by Fetch Metadata, not posted from another origin whatever token it carries (login CSRF).
 */
export function formFromThisPage(
  headers: Record<string, string | string[] | undefined>,
  interaction: Interaction,
  token: unknown,
  sessionId?: string,
): boolean {
  const site = headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') return false
  return typeof token === 'string' && timingSafeEqual(digest(formToken(interaction, sessionId)), digest(token))
}

/** Keeps the interaction's remaining lifetime when it is updated. */
export async function updateInteraction(
  store: Store,
  interaction: Interaction,
  ttlSeconds: number,
  nowMs: number,
): Promise<void> {
  const leftMs = ttlSeconds * 1000 - (nowMs - interaction.createdAt)
  // Past its deadline an interaction is over: an update must not bring it back.
  if (leftMs <= 0) return store.delete('interaction', interaction.uid)
  await store.set('interaction', interaction.uid, interaction, Math.ceil(leftMs / 1000))
}
