import type { Tenant } from '../config/types.js'
import type { Store } from '../store/store.js'
import { saveUser } from './users.js'

/** Auth0 allows one client grant per client and API. */
export const clientGrantId = (clientId: string, audience: string): string => JSON.stringify([clientId, audience])

/** Puts the configured tenant into the store at start. */
export async function seedTenant(store: Store, tenant: Tenant): Promise<void> {
  for (const client of tenant.clients) await store.set('client', client.client_id, client)
  for (const api of tenant.resource_servers) await store.set('resource_server', api.identifier, api)
  for (const user of tenant.users) await saveUser(store, user)
  for (const grant of tenant.client_grants) {
    await store.set('client_grant', clientGrantId(grant.client_id, grant.audience), grant)
  }
}
