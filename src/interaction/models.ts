import type { AuthorizeParams } from '../authorize/params.js'

/** A browser's signed-in state at Gatehouse, referenced by the session cookie. */
export interface Session {
  id: string
  sub: string
  /** seconds since the epoch, for auth_time and max_age */
  authTime: number
}

export type Prompt = 'login' | 'consent'

/** A paused /authorize request waiting for the user at the login or consent page. */
export interface Interaction {
  uid: string
  /** bound to the forms of this interaction */
  csrf: string
  params: AuthorizeParams
  clientId: string
  /** what the consent page asks for */
  audience?: string
  scopes: string[]
  prompt: Prompt
  /** why the page is shown, for the page and the logs */
  reason: string
  /** ms since the epoch */
  createdAt: number
  /** the session created by a login within this interaction: it satisfies prompt=login and max_age */
  loginSession?: string
  /** the user who answered the consent page within this interaction, so prompt=consent does not loop */
  consent?: { sub: string; decision: 'allow' | 'deny' }
}

/** What a user has allowed a client to do at one audience. */
export interface Grant {
  sub: string
  clientId: string
  /** '' when no API was named (OIDC scopes only) */
  audience: string
  scopes: string[]
}

export const grantId = (sub: string, clientId: string, audience: string): string =>
  JSON.stringify([sub, clientId, audience])
