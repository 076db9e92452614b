// Which browser origins may call Gatehouse cross-origin: those a client lists in web_origins (Auth0's Allowed Web Origins).
import type { Client } from '../config/types.js'
import type { Store } from '../store/store.js'

export async function isAllowedWebOrigin(store: Store, origin: string): Promise<boolean> {
  const clients = await store.list<Client>('client')
  return clients.some((client) => clientHasWebOrigin(client, origin))
}

export const clientHasWebOrigin = (client: Client, origin: string): boolean =>
  client.web_origins.some((entry) => originOf(entry) === origin)

// Compared as origins, so "https://app.example.com/" in the config matches the browser's "https://app.example.com".
function originOf(entry: string): string | undefined {
  try {
    const origin = new URL(entry).origin
    return origin === 'null' ? undefined : origin
  } catch {
    return undefined
  }
}
