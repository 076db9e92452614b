// What the playground page and its callback view are given: this tenant's APIs and scopes, and where everything is.
import type { Config, ResourceServer } from '../config/types.js'
import { DEMO_API_AUDIENCE, DEMO_API_PATH, DEMO_API_SCOPE } from '../demo-api/constants.js'
import { providerMetadata } from '../discovery/metadata.js'
import { OIDC_SCOPE_DESCRIPTIONS, OIDC_SCOPES } from '../scopes/scopes.js'
import type { Store } from '../store/store.js'
import type { PageData } from './page-data.js'
import { PLAYGROUND_CLIENT_ID, playgroundUrls } from './urls.js'

export async function playgroundPageData(config: Config, store: Store): Promise<PageData> {
  const { issuer } = config
  const meta = providerMetadata(issuer) as Record<string, string>
  const urls = playgroundUrls(issuer)
  const apis = await store.list<ResourceServer>('resource_server')
  return {
    issuer,
    clientId: PLAYGROUND_CLIENT_ID,
    callback: urls.callback,
    endpoints: {
      authorize: meta.authorization_endpoint!,
      token: meta.token_endpoint!,
      userinfo: meta.userinfo_endpoint!,
      jwks: meta.jwks_uri!,
      oidcLogout: meta.end_session_endpoint!,
      auth0Logout: `${issuer}v2/logout`,
      backendToken: `${urls.playground}/token`,
      backendVariant: `${urls.playground}/variant`,
      backendTimeline: `${urls.playground}/timeline`,
      demoApi: `${issuer}${DEMO_API_PATH}`,
    },
    oidcScopes: OIDC_SCOPES.map((value) => ({ value, description: OIDC_SCOPE_DESCRIPTIONS[value] })),
    apis: apis.map((api) => ({
      identifier: api.identifier,
      name: api.name,
      scopes: api.scopes.map((s) => ({ value: s.value, description: s.description })),
      allow_offline_access: api.allow_offline_access,
    })),
    demoApi: { audience: DEMO_API_AUDIENCE, scope: DEMO_API_SCOPE },
    demoUsers: config.demo ? config.tenant.users.map((u) => ({ username: u.username ?? u.email ?? u.user_id, password: u.password })) : [],
  }
}

/** A form_post response's parameters: single string values only, as an app would read them. */
export function formPostParams(body: unknown): Record<string, string> {
  const params: Record<string, string> = {}
  if (body === null || typeof body !== 'object') return params
  for (const [name, value] of Object.entries(body)) if (typeof value === 'string') params[name] = value
  return params
}
