// Tenant entities use Auth0 Management API names so that a user can paste what they registered there.

export type AppType = 'spa' | 'native' | 'regular_web' | 'non_interactive'
export type GrantType = 'implicit' | 'authorization_code' | 'refresh_token' | 'client_credentials' | 'password'
export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic'
export type SigningAlg = 'RS256' | 'ES256'
export type LogFormat = 'pretty' | 'json'
/** Auth0's access token profiles; the *_authz ones add the user's `permissions` for the API */
export type TokenDialect = 'access_token' | 'access_token_authz' | 'rfc9068_profile' | 'rfc9068_profile_authz'
export type ActionTrigger = 'post-login' | 'credentials-exchange'

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
  /** leeway: seconds in which a rotated refresh token may still be used (Auth0's reuse interval) */
  refresh_token: { rotation_type: 'rotating' | 'non-rotating'; leeway?: number }
  /** how this client's ID tokens are signed; RS256 when absent */
  jwt_configuration?: { alg?: SigningAlg }
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
  /** RBAC: the scopes granted to a user are only those the user is permitted (Auth0's "Enable RBAC"); false when absent */
  enforce_policies?: boolean
  /** "access_token" when absent */
  token_dialect?: TokenDialect
}

/** A permission as the Management API names it: an API's scope. */
export interface Permission {
  resource_server_identifier: string
  permission_name: string
}

/** A role declared in the config file (Auth0's role, named, with its permissions). */
export interface RoleInput {
  name: string
  description?: string
  permissions?: Permission[]
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
  app_metadata?: Record<string, unknown>
  user_metadata?: Record<string, unknown>
  /** names of roles (config `roles`) the user has */
  roles?: string[]
  /** permissions given to the user directly */
  permissions?: Permission[]
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
  /** Auth0's tenant setting: the API a request without audience is for */
  default_audience?: string
  /** RBAC roles declared in the config file */
  roles?: RoleInput[]
}

/** One of the user's Auth0 Actions, run in Gatehouse's process. */
export interface ActionConfig {
  name: string
  trigger: ActionTrigger
  /** absolute path of the script (relative paths in the file are resolved against the file) */
  script: string
  secrets: Record<string, string>
  /** milliseconds an execution may take before the flow fails (default 5000) */
  timeoutMs: number
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

/** `attack_protection` in the Management API's names; what is left out takes Auth0's defaults. */
export interface AttackProtection {
  brute_force_protection?: {
    /** default true */
    enabled?: boolean
    /** failed logins per user and IP before they are blocked; default 10 */
    max_attempts?: number
  }
}

/**
 * HTTPS on --port: with a development CA Gatehouse makes and keeps in <keysDir>/tls/, or with the
 * user's own certificate and key (absolute paths, or relative to the working directory).
 */
export type TlsConfig = { kind: 'development-ca' } | { kind: 'own-certificate'; certFile: string; keyFile: string }

export interface Config {
  port: number
  host: string
  /** always ends with "/" */
  issuer: string
  keysDir: string
  /** "memory:" for now */
  store: string
  logLevel: string
  /** undefined: pretty when logs go to a terminal, JSON otherwise */
  logFormat?: LogFormat
  ttl: Ttls
  tenant: Tenant
  /** true when no config file was given and the demo tenant is in use */
  demo: boolean
  /** undefined: Auth0's defaults (brute-force protection on, 10 attempts) */
  attackProtection?: AttackProtection
  /** file the tenant came from, for messages */
  configFile?: string
  /** false turns the playground and its client off (config key `playground`); on when absent */
  playground?: boolean
  /** undefined: plain HTTP */
  tls?: TlsConfig
  /** the user's Auth0 Actions, in flow order; none when absent */
  actions?: ActionConfig[]
  /** the test controls under <issuer>_gatehouse/ (--test-controls); off when absent */
  testControls?: boolean
}
