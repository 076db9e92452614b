// Picks the store adapter from the configured URL.

import type { Clock } from '../util/clock.js'
import { createMemoryStore } from './memory.js'
import type { Store } from './store.js'

export type { Kind, Store } from './store.js'
export type { MemoryStore, MemoryStoreOptions } from './memory.js'
export { createMemoryStore } from './memory.js'

export function createStore(url: string, opts: { clock?: Clock } = {}): Store {
  if (url === 'memory:') return createMemoryStore(opts)
  throw new Error(`unsupported store "${url}": only memory: is available`)
}
