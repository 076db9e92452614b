import type { Config } from '../config/types.js'
import type { Kind, Store } from '../store/store.js'
import type { Clock } from '../util/clock.js'
import type { IdGenerator } from '../util/ids.js'

/** What the Management API's functions work with: the tenant's store, the clock and the id generator. */
export interface ManagementDeps {
  config: Pick<Config, 'issuer'>
  store: Store
  clock: Clock
  newId: IdGenerator
}

/** Every entry of a kind whose id starts with prefix, read in pages so no single read holds them all. */
export async function* eachEntry<T>(store: Store, kind: Kind, prefix?: string, batch = 100): AsyncGenerator<T> {
  for (let offset = 0; ; offset += batch) {
    const entries = await store.list<T>(kind, { prefix, offset, limit: batch })
    yield* entries
    if (entries.length < batch) return
  }
}

/**
 * One page of the entries that match a filter the store cannot apply (no id prefix selects them): read
 * batch by batch, keeping only the page. The total is counted only when asked.
 */
export async function filteredPage<T>(
  store: Store,
  kind: Kind,
  opts: { prefix?: string; offset: number; limit: number; countAll: boolean },
  matches: (entry: T) => boolean,
): Promise<{ items: T[]; total: number }> {
  const items: T[] = []
  let seen = 0
  for await (const entry of eachEntry<T>(store, kind, opts.prefix)) {
    if (!matches(entry)) continue
    if (seen >= opts.offset && items.length < opts.limit) items.push(entry)
    seen++
    if (!opts.countAll && items.length === opts.limit) break
  }
  return { items, total: seen }
}
