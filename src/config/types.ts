// Tenant entities use Auth0 Management API names so that a user can paste what they registered there.

export type AppType = 'spa' | 'native' | 'regular_web' | 'non_interactive'
export type GrantType = 'implicit' | 'authorization_code' | 'refresh_token' | 'client_credentials' | 'password'
export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic'
export type SigningAlg = 'RS256' | 'ES256'

export interface Client {
  client_id: string
  name: string
  app_type: AppType
  callbacks: string[]
  allowed_logout_urls: string[]
  web_origins: string[]
  grant_types: GrantType[]
  is_first_party: boolean
  client_secret?: string
  token_endpoint_auth_method: TokenEndpointAuthMethod
  refresh_token: { rotation_type: 'rotating' | 'non-rotating' }
}

export interface ApiScope {
  value: string
  description: string
}

export interface ResourceServer {
  identifier: string
  name: string
  scopes: ApiScope[]
  token_lifetime: number
  token_lifetime_for_web: number
  signing_alg: SigningAlg
  skip_consent_for_verifiable_first_party_clients: boolean
  allow_offline_access: boolean
}

export interface User {
  user_id: string
  email?: string
  username?: string
  password: string
  email_verified?: boolean
  name?: string
  given_name?: string
  family_name?: string
  nickname?: string
  picture?: string
}

export interface ClientGrant {
  client_id: string
  audience: string
  scope: string[]
}

export interface Tenant {
  clients: Client[]
  resource_servers: ResourceServer[]
  users: User[]
  client_grants: ClientGrant[]
}

export interface Ttls {
  /** login/consent interaction, seconds */
  interaction: number
  /** browser session at Gatehouse, seconds */
  session: number
  /** authorization code, seconds (RFC 6749 recommends 10 minutes at most; Auth0 uses 60) */
  code: number
  /** ID token lifetime, seconds (Auth0's default is 36000) */
  id_token: number
  /** refresh token lifetime, seconds */
  refresh_token: number
}

export interface Config {
  port: number
  host: string
  /** always ends with "/" */
  issuer: string
  keysDir: string
  /** "memory:" for now */
  store: string
  logLevel: string
  /** pretty logs; undefined means "when stdout is a terminal" */
  logPretty?: boolean
  ttl: Ttls
  tenant: Tenant
  /** true when no config file was given and the demo tenant is in use */
  demo: boolean
  /** file the tenant came from, for messages */
  configFile?: string
}
