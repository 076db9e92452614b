// Where a browser may be sent after logout: exact matches only, or logout becomes an open redirect.
import type { Client } from '../config/types.js'
import type { Store } from '../store/store.js'

export const isAllowedLogoutUrl = (allowed: readonly string[], url: string): boolean => allowed.includes(url)

/** Auth0 checks a tenant-level list when no client is named; Gatehouse's is every client's list. */
export async function tenantLogoutUrls(store: Store): Promise<string[]> {
  const clients = await store.list<Client>('client')
  return [...new Set(clients.flatMap((client) => client.allowed_logout_urls))]
}
