// What this tab remembers between leaving for /authorize and coming back: kept in sessionStorage, which
// only this tab and this origin can read. The code verifier stays here; it never goes into a URL.

/** A request on its way: everything needed to check the answer. */
export interface Pending {
  flow: string
  state: string
  nonce?: string
  codeVerifier?: string
  responseType?: string
  responseMode?: string
  startedAt: number
}

/** Tokens kept for the next flow: refresh (refresh_token) and logout (id_token as id_token_hint). */
export interface Kept {
  refresh_token?: string
  id_token?: string
}

const PENDING = 'gatehouse-playground:pending:'
const KEPT = 'gatehouse-playground:tokens'

export function savePending(pending: Pending): void {
  sessionStorage.setItem(PENDING + pending.state, JSON.stringify(pending))
}

/** The request this state belongs to, removed as it is read: a state is good for one answer only. */
export function takePending(state: string | undefined): Pending | undefined {
  if (state === undefined) return undefined
  const text = sessionStorage.getItem(PENDING + state)
  sessionStorage.removeItem(PENDING + state)
  return text === null ? undefined : (JSON.parse(text) as Pending)
}

export function keptTokens(): Kept {
  return JSON.parse(sessionStorage.getItem(KEPT) ?? '{}') as Kept
}

export function keepTokens(tokens: Kept): void {
  const kept = { ...keptTokens() }
  if (tokens.refresh_token !== undefined) kept.refresh_token = tokens.refresh_token
  if (tokens.id_token !== undefined) kept.id_token = tokens.id_token
  sessionStorage.setItem(KEPT, JSON.stringify(kept))
}

export function forgetTokens(): void {
  sessionStorage.removeItem(KEPT)
}
