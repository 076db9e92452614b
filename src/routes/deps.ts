import type { BruteForceProtection } from '../attack-protection/brute-force.js'
import type { AuthorizeDeps } from '../authorize/context.js'
import type { ScenarioDeps } from '../controls/scenarios.js'
import type { EventLog } from '../events/event-log.js'

/** What route plugins are given: the wired services of one server (`scenarios` only with the test controls on). */
export type AppDeps = AuthorizeDeps & ScenarioDeps & { bruteForce: BruteForceProtection; events: EventLog }

export interface RouteOptions {
  deps: AppDeps
}

export const SESSION_COOKIE = 'gatehouse_session'

/**
 * Under an https issuer Gatehouse's cookies are `SameSite=None; Secure`, as Auth0's: silent authentication
 * (/authorize with prompt=none in a hidden iframe of an app on another site) must carry the session.
 * Browsers refuse SameSite=None without Secure, so under http they stay `SameSite=Lax`.
 */
export const crossSiteCookieAttributes = (deps: AppDeps) =>
  deps.config.issuer.startsWith('https:') ? ({ sameSite: 'none', secure: true } as const) : ({ sameSite: 'lax', secure: false } as const)

/** The session cookie's attributes; clearing it needs the same ones, or browsers keep it. */
export const sessionCookieOptions = (deps: AppDeps) => ({ path: '/', httpOnly: true, ...crossSiteCookieAttributes(deps) }) as const

/** A path under the issuer's, so that an issuer such as http://host/tenant/ serves and links under /tenant/. */
export const pathOf = (deps: AppDeps, path: string): string => new URL(path, deps.config.issuer).pathname

/** Where /authorize resumes after the login or consent page. */
export const resumePath = (deps: AppDeps, uid: string): string => pathOf(deps, `authorize/resume/${uid}`)
