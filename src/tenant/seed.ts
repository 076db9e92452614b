import type { Client, Tenant, User } from '../config/types.js'
import type { Store } from '../store/store.js'
import type { IdGenerator } from '../util/ids.js'
import { seedAccess, type SeededAccess } from './seed-access.js'
import { deleteUser, saveUser } from './users.js'

/** Auth0 allows one client grant per client and API. */
export const clientGrantId = (clientId: string, audience: string): string => JSON.stringify([clientId, audience])

export interface SeedOptions {
  /** makes client secrets for confidential clients configured without one */
  newId: IdGenerator
  /** told each generated secret, once per start */
  log: (message: string) => void
}

/** A stored client; the marker says its secret was generated here rather than configured. */
export interface StoredClient extends Client {
  client_secret_generated?: true
}

// Auth0's client secrets are 64 URL-safe characters.
const SECRET_LENGTH = 64

const isConfidential = (client: Client) => client.token_endpoint_auth_method !== 'none'

/**
 * Auth0 gives every confidential client a secret, and exported configs leave it out: Gatehouse makes one
 * and keeps it in the store, created once (replicas starting together agree on it), so a persistent store
 * keeps it across restarts.
 */
async function withSecret(store: Store, client: Client, opts: SeedOptions): Promise<StoredClient> {
  if (!isConfidential(client)) return client
  if (client.client_secret !== undefined) {
    // A secret the config names wins; once the config drops it, a new one is generated, never the old one reused.
    await store.delete('client_secret', client.client_id)
    return client
  }
  let secret = await store.get<string>('client_secret', client.client_id)
  const kept = secret !== undefined
  if (secret === undefined) {
    const fresh = opts.newId(SECRET_LENGTH)
    secret = (await store.add('client_secret', client.client_id, fresh)) ? fresh : await store.get<string>('client_secret', client.client_id)
  }
  // Said in the message, not in a field: the logger redacts client_secret fields, and this one is meant to be read.
  opts.log(
    `client ${JSON.stringify(client.client_id)} has no client_secret in the config; ` +
      `${kept ? 'kept the one generated before' : 'generated'}: ${secret}`,
  )
  return { ...client, client_secret: secret, client_secret_generated: true }
}

/** The ids a config file named at the last start, so that the next start can forget the ones it drops. */
interface SeededIds {
  clients: string[]
  resource_servers: string[]
  users: string[]
  client_grants: string[]
}

/** A user's roles and permissions are kept as assignments of their own, not in the user record. */
function withoutAccess(user: User): User {
  const { roles: _roles, permissions: _permissions, ...record } = user
  return record
}

const SEEDED = 'config'

/**
 * Puts the configured tenant into the store at start: the file wins for what it names. What an earlier
 * config file named and this one does not is deleted; what was created at runtime (sessions, consents,
 * tokens, anything made through an API) is kept.
 */
export async function seedTenant(store: Store, tenant: Tenant, opts: SeedOptions): Promise<void> {
  const previous = await store.get<SeededIds & Partial<SeededAccess>>('seeded', SEEDED)
  const current: SeededIds = {
    clients: tenant.clients.map((c) => c.client_id),
    resource_servers: tenant.resource_servers.map((api) => api.identifier),
    users: tenant.users.map((u) => u.user_id),
    client_grants: tenant.client_grants.map((g) => clientGrantId(g.client_id, g.audience)),
  }
  const dropped = (kind: keyof SeededIds) => (previous?.[kind] ?? []).filter((id) => !current[kind].includes(id))
  for (const id of dropped('clients')) {
    await store.delete('client', id)
    await store.delete('client_secret', id)
  }
  for (const id of dropped('resource_servers')) await store.delete('resource_server', id)
  for (const id of dropped('users')) await deleteUser(store, id)
  for (const id of dropped('client_grants')) await store.delete('client_grant', id)

  for (const client of tenant.clients) await store.set('client', client.client_id, await withSecret(store, client, opts))
  for (const api of tenant.resource_servers) await store.set('resource_server', api.identifier, api)
  for (const user of tenant.users) await saveUser(store, withoutAccess(user))
  for (const grant of tenant.client_grants) {
    await store.set('client_grant', clientGrantId(grant.client_id, grant.audience), grant)
  }
  const access = await seedAccess(store, tenant, previous)
  await store.set('seeded', SEEDED, { ...current, ...access })
}
