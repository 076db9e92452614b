// What the landing page at <issuer> shows: what this server is, its endpoints and the tenant at a glance.
import type { Config } from '../config/types.js'
import { DEMO_API_AUDIENCE, DEMO_API_PATH, DEMO_API_SCOPE } from '../demo-api/constants.js'
import { providerMetadata } from '../discovery/metadata.js'
import type { Store } from '../store/store.js'
import { summarizeTenant, type TenantSummary } from './tenant-summary.js'
import { playgroundEnabled, playgroundUrls, type PlaygroundUrls } from './urls.js'

export interface Endpoint {
  name: string
  url: string
  /** what it is for, in one sentence */
  about: string
  /** a plain GET shows something useful, so the page links it */
  browsable: boolean
}

export interface LandingModel {
  issuer: string
  demo: boolean
  configFile?: string
  endpoints: Endpoint[]
  tenant: TenantSummary
  /** undefined when the config turned the playground off */
  playground?: PlaygroundUrls
  demoApi: { url: string; audience: string; scope: string; defined: boolean }
}

/** The endpoints every app needs, taken from the discovery document so the two never disagree. */
export function endpointsOf(issuer: string): Endpoint[] {
  const meta = providerMetadata(issuer) as Record<string, string>
  return [
    { name: 'Discovery', url: `${issuer}.well-known/openid-configuration`, about: 'Everything below, as JSON: SDKs read it to configure themselves.', browsable: true },
    { name: 'JWKS', url: meta.jwks_uri!, about: 'The public keys that verify token signatures; match a token’s kid to a key here.', browsable: true },
    { name: 'Authorize', url: meta.authorization_endpoint!, about: 'Where the browser goes to sign in and consent; answers with a code or tokens at the redirect_uri.', browsable: false },
    { name: 'Token', url: meta.token_endpoint!, about: 'POST only: exchanges a code, refresh token, client credentials or password for tokens.', browsable: false },
    { name: 'UserInfo', url: meta.userinfo_endpoint!, about: 'The signed-in user’s claims, for an access token whose aud includes it (scope openid).', browsable: false },
    { name: 'Logout (Auth0)', url: `${issuer}v2/logout`, about: 'Ends the Gatehouse session; returnTo must be one of the client’s allowed_logout_urls.', browsable: false },
    { name: 'Logout (OIDC)', url: meta.end_session_endpoint!, about: 'RP-Initiated Logout: id_token_hint and post_logout_redirect_uri.', browsable: false },
    { name: 'Revocation', url: meta.revocation_endpoint!, about: 'POST only: revokes a refresh token (RFC 7009).', browsable: false },
    { name: 'Introspection', url: meta.introspection_endpoint!, about: 'POST only, for confidential clients: is this token active? (RFC 7662)', browsable: false },
  ]
}

export async function landingModel(config: Config, store: Store): Promise<LandingModel> {
  const tenant = await summarizeTenant(store, { showPasswords: config.demo })
  const model: LandingModel = {
    issuer: config.issuer,
    demo: config.demo,
    endpoints: endpointsOf(config.issuer),
    tenant,
    demoApi: {
      url: `${config.issuer}${DEMO_API_PATH}`,
      audience: DEMO_API_AUDIENCE,
      scope: DEMO_API_SCOPE,
      defined: tenant.apis.some((api) => api.identifier === DEMO_API_AUDIENCE),
    },
  }
  if (config.configFile !== undefined) model.configFile = config.configFile
  if (playgroundEnabled(config)) model.playground = playgroundUrls(config.issuer)
  return model
}

/** What `Accept: application/json` gets at the issuer: enough for a script to find everything else. */
export function landingJson(config: Config): Record<string, unknown> {
  return {
    name: 'Gatehouse',
    description: "A mock OAuth 2.0 / OpenID Connect authorization server in Auth0's dialect",
    issuer: config.issuer,
    discovery: `${config.issuer}.well-known/openid-configuration`,
    jwks_uri: `${config.issuer}.well-known/jwks.json`,
    playground: playgroundEnabled(config) ? playgroundUrls(config.issuer).playground : null,
    demo_api: `${config.issuer}${DEMO_API_PATH}`,
  }
}
