import type { Client, ResourceServer } from '../config/types.js'

/** OIDC scopes Gatehouse implements; the only ones besides an API's own. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const

export const OIDC_SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Sign you in with your account',
  profile: 'Your profile: name, nickname and picture',
  email: 'Your email address',
  offline_access: 'Stay signed in (refresh tokens)',
}

// scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), RFC 6749 §3.3
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

export const isScopeToken = (value: string): boolean => SCOPE_TOKEN.test(value)

export const isOidcScope = (value: string): boolean => (OIDC_SCOPES as readonly string[]).includes(value)

/** Refresh tokens need the grant type on the client and, when an API is named, its allow_offline_access. */
export const mayGetRefreshToken = (client: Client, api: ResourceServer | undefined): boolean =>
  client.grant_types.includes('refresh_token') && (api === undefined || api.allow_offline_access)

export type ScopeCheck = { ok: true; scopes: string[] } | { ok: false; description: string }

/** Splits and checks requested scopes against OIDC and the API; unknown scopes are refused, not dropped. */
export function checkRequestedScopes(
  requested: readonly string[],
  api: ResourceServer | undefined,
  findApiDefining: (scope: string) => ResourceServer | undefined,
): ScopeCheck {
  for (const scope of requested) {
    if (!isScopeToken(scope)) return { ok: false, description: `malformed scope value: ${JSON.stringify(scope)}` }
    if (isOidcScope(scope)) continue
    if (api?.scopes.some((s) => s.value === scope)) continue
    if (api) return { ok: false, description: `scope ${scope} is not defined by API ${api.identifier}` }
    const owner = findApiDefining(scope)
    return {
      ok: false,
      description: owner
        ? `scope ${scope} belongs to API ${owner.identifier}: add audience=${owner.identifier}`
        : `unknown scope: ${scope}`,
    }
  }
  return { ok: true, scopes: [...requested] }
}
