// Where a browser may be sent after logout: exact matches only, or logout becomes an open redirect.
import type { Client } from '../config/types.js'
import type { Store } from '../store/store.js'

export const isAllowedLogoutUrl = (allowed: readonly string[], url: string): boolean => allowed.includes(url)

/** Auth0 checks a tenant-level list when no client is named; Gatehouse's is every client's list. */
export async function tenantLogoutUrls(store: Store): Promise<string[]> {
  const clients = await store.list<Client>('client')
  return [...new Set(clients.flatMap((client) => client.allowed_logout_urls))]
}

/** Adds parameters to the query, before any fragment, leaving the rest of the URL byte for byte as registered. */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined)
  if (entries.length === 0) return url
  const hashAt = url.indexOf('#')
  const base = hashAt === -1 ? url : url.slice(0, hashAt)
  const hash = hashAt === -1 ? '' : url.slice(hashAt)
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${separator}${new URLSearchParams(entries).toString()}${hash}`
}
