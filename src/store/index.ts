// Opens the store adapter a URL names. The SQL adapters are loaded only when used, so a start on
// the default memory: store never loads a database driver.

import type { Clock } from '../util/clock.js'
import { StoreError } from './errors.js'
import { createMemoryStore } from './memory.js'
import type { Store } from './store.js'
import { STORE_URL_FORMS, storeAdapter } from './url.js'

export type { Kind, ListQuery, Store } from './store.js'
export type { MemoryStore, MemoryStoreOptions } from './memory.js'
export { createMemoryStore } from './memory.js'
export { StoreError, StoreUnavailableError } from './errors.js'

export interface OpenStoreOptions {
  clock?: Clock
  /** background trouble worth a warning: a failed sweep, a dropped idle connection */
  warn?: (message: string) => void
}

/** Opens and, for the SQL adapters, creates or upgrades the database; StoreError when it cannot. */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const sqlOptions = {
    clock: opts.clock,
    onBackgroundError: (err: unknown) => opts.warn?.(`store: ${err instanceof Error ? err.message : String(err)}`),
  }
  switch (storeAdapter(url)) {
    case 'memory':
      return createMemoryStore({ clock: opts.clock })
    case 'sqlite':
      return (await import('./sqlite.js')).openSqliteStore(url, sqlOptions)
    case 'postgres':
      return (await import('./postgres.js')).openPostgresStore(url, sqlOptions)
    default:
      throw new StoreError(`unsupported store "${url}": use ${STORE_URL_FORMS}`)
  }
}
