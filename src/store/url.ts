// Store URLs: which adapter they name, and how they may be shown.

/** The URL as it can be logged: never with its password. */
export function redactStoreUrl(store: string): string {
  if (!store.includes('@')) return store
  try {
    const url = new URL(store)
    if (url.password !== '') url.password = '***'
    return url.toString()
  } catch {
    // unparsable, and what follows the scheme may hold a password
    return `${store.split(':')[0]}:…`
  }
}

export type StoreAdapter = 'memory' | 'sqlite' | 'postgres'

/** The adapter a store URL names, or undefined when it names none. */
export function storeAdapter(store: string): StoreAdapter | undefined {
  if (store === 'memory:') return 'memory'
  if (/^sqlite:./.test(store)) return 'sqlite'
  if (/^postgres(ql)?:\/\/./.test(store)) return 'postgres'
  return undefined
}

export const STORE_URL_FORMS = 'memory:, sqlite:PATH or postgres://user:password@host:port/database'
