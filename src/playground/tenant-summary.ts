// The tenant at a glance, as the landing page and the playground show it: never a secret, and
// passwords only for the built-in demo tenant (whose users are printed in the start banner anyway).
import type { Client, ResourceServer, User } from '../config/types.js'
import type { Store } from '../store/store.js'

export interface ClientSummary {
  client_id: string
  name: string
  app_type: Client['app_type']
  /** "public" (no secret: SPAs, native apps) or "confidential" (authenticates at the token endpoint) */
  kind: 'public' | 'confidential'
  token_endpoint_auth_method: Client['token_endpoint_auth_method']
  grant_types: string[]
  callbacks: string[]
  web_origins: string[]
  allowed_logout_urls: string[]
  is_first_party: boolean
}

export interface ApiSummary {
  identifier: string
  name: string
  scopes: { value: string; description: string }[]
  signing_alg: ResourceServer['signing_alg']
  token_lifetime: number
  token_lifetime_for_web: number
  allow_offline_access: boolean
}

export interface UserSummary {
  user_id: string
  username?: string
  email?: string
  name?: string
  /** only for the demo tenant */
  password?: string
}

export interface TenantSummary {
  clients: ClientSummary[]
  apis: ApiSummary[]
  users: UserSummary[]
}

export async function summarizeTenant(store: Store, opts: { showPasswords: boolean }): Promise<TenantSummary> {
  const [clients, apis, users] = await Promise.all([
    store.list<Client>('client'),
    store.list<ResourceServer>('resource_server'),
    store.list<User>('user'),
  ])
  return {
    clients: clients.map(summarizeClient),
    apis: apis.map((api) => ({
      identifier: api.identifier,
      name: api.name,
      scopes: api.scopes.map((s) => ({ value: s.value, description: s.description })),
      signing_alg: api.signing_alg,
      token_lifetime: api.token_lifetime,
      token_lifetime_for_web: api.token_lifetime_for_web,
      allow_offline_access: api.allow_offline_access,
    })),
    users: users.map((user) => {
      const summary: UserSummary = { user_id: user.user_id }
      if (user.username !== undefined) summary.username = user.username
      if (user.email !== undefined) summary.email = user.email
      if (user.name !== undefined) summary.name = user.name
      if (opts.showPasswords) summary.password = user.password
      return summary
    }),
  }
}

// An allow-list, so client_secret (and anything added to Client later) never reaches a page.
function summarizeClient(client: Client): ClientSummary {
  return {
    client_id: client.client_id,
    name: client.name,
    app_type: client.app_type,
    kind: client.token_endpoint_auth_method === 'none' ? 'public' : 'confidential',
    token_endpoint_auth_method: client.token_endpoint_auth_method,
    grant_types: [...client.grant_types],
    callbacks: [...client.callbacks],
    web_origins: [...client.web_origins],
    allowed_logout_urls: [...client.allowed_logout_urls],
    is_first_party: client.is_first_party,
  }
}
