import type { Client, ResourceServer } from '../config/types.js'
import { AccessDenied, InvalidScope } from '../errors/oauth-errors.js'
import type { Store } from '../store/store.js'

/** OIDC scopes Gatehouse implements; the only ones besides an API's own. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const
export type OidcScope = (typeof OIDC_SCOPES)[number]

/** Plain words for what each OIDC scope gives the application about the user (consent page, playground). */
export const OIDC_SCOPE_DESCRIPTIONS: Readonly<Record<OidcScope, string>> = {
  openid: 'Who you are (your user ID)',
  profile: 'Your name and picture',
  email: 'Your email address',
  offline_access: 'Stay signed in (offline access)',
}

// scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), RFC 6749 §3.3
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

export const isScopeToken = (value: string): boolean => SCOPE_TOKEN.test(value)

export const isOidcScope = (value: string): value is OidcScope => (OIDC_SCOPES as readonly string[]).includes(value)

/** Refresh tokens need the grant type on the client and, when an API is named, its allow_offline_access. */
export const mayGetRefreshToken = (client: Client, api: ResourceServer | undefined): boolean =>
  client.grant_types.includes('refresh_token') && (api === undefined || api.allow_offline_access)

/** The API an audience names (Auth0's extension to RFC 6749), or access_denied as Auth0 answers. */
export async function findApi(store: Store, audience: string): Promise<ResourceServer> {
  const api = await store.get<ResourceServer>('resource_server', audience)
  if (!api) throw new AccessDenied(`Service not found: ${audience}`)
  return api
}

export interface ResolvedScopes {
  api?: ResourceServer
  scopes: string[]
}

/**
 * Resolves audience and checks the requested scopes against OIDC's and that API's; unknown scopes are
 * refused, not dropped. offline_access stays only where a refresh token can be issued.
 */
export async function resolveAudienceAndScopes(
  store: Store,
  audience: string | undefined,
  requested: readonly string[],
  offlineAccessAllowed: (api: ResourceServer | undefined) => boolean,
): Promise<ResolvedScopes> {
  const api = audience === undefined ? undefined : await findApi(store, audience)
  for (const scope of requested) {
    if (!isScopeToken(scope)) throw new InvalidScope(`malformed scope value: ${JSON.stringify(scope)}`)
    if (isOidcScope(scope) || api?.scopes.some((s) => s.value === scope)) continue
    if (api) throw new InvalidScope(`scope ${scope} is not defined by API ${api.identifier}`)
    // Only on this error path are the other APIs read, to say which audience the scope needs.
    const owner = (await store.list<ResourceServer>('resource_server')).find((candidate) =>
      candidate.scopes.some((s) => s.value === scope),
    )
    throw new InvalidScope(
      owner ? `scope ${scope} belongs to API ${owner.identifier}: add audience=${owner.identifier}` : `unknown scope: ${scope}`,
    )
  }
  const keepOffline = offlineAccessAllowed(api)
  return { api, scopes: requested.filter((scope) => scope !== 'offline_access' || keepOffline) }
}
