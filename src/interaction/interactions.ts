import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { Store } from '../store/store.js'
import type { Interaction } from './models.js'

export const loadInteraction = (store: Store, uid: string): Promise<Interaction | undefined> =>
  store.get<Interaction>('interaction', uid)

const digest = (value: string) => createHash('sha256').update(value).digest()

/** The consent form's CSRF token: the interaction's, bound to the session the page was shown to when there is one. */
export const formToken = (interaction: Interaction, sessionId?: string): string =>
  sessionId === undefined ? interaction.csrf : createHmac('sha256', interaction.csrf).update(sessionId).digest('base64url')

/**
 * The login form's CSRF token, bound to the browser the page was shown to (its pre-login cookie):
 * a token fetched by someone else's browser does not log this one in (login CSRF).
 */
export const loginFormToken = (interaction: Interaction, browserId: string): string =>
  createHmac('sha256', interaction.csrf).update(`login:${browserId}`).digest('base64url')

/**
 * A login or consent form really sent from its page: the token its page was given (`expected`; undefined
 * when this browser could not have been given one), and, by Fetch Metadata, not posted from another origin.
 */
export function formFromThisPage(
  headers: Record<string, string | string[] | undefined>,
  expected: string | undefined,
  token: unknown,
): boolean {
  const site = headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') return false
  return expected !== undefined && typeof token === 'string' && timingSafeEqual(digest(expected), digest(token))
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
