// `api.cache`, one per trigger as Auth0 scopes it, kept in this process: a replica has its own and a
// restart empties it, which Auth0's documentation allows ("items may not be available in later
// transactions"). Expiry follows Gatehouse's clock.
import type { ActionTrigger } from '../config/types.js'
import type { CacheRecord } from './protocol.js'

/** Entries kept per trigger; past it the entry that would expire first makes room. */
export const MAX_CACHE_ENTRIES = 100

export interface ActionCaches {
  /** the live entries, as an Action starting now sees them */
  snapshot(trigger: ActionTrigger, now: number): Record<string, CacheRecord>
  /** a write an Action made: a record, or none to delete */
  write(trigger: ActionTrigger, key: string, record: CacheRecord | undefined, now: number): void
  /** forgets every entry (the test controls' reset) */
  clear(): void
}

export function createActionCaches(): ActionCaches {
  const caches = new Map<ActionTrigger, Map<string, CacheRecord>>()
  const cacheOf = (trigger: ActionTrigger) => {
    let cache = caches.get(trigger)
    if (cache === undefined) caches.set(trigger, (cache = new Map()))
    return cache
  }
  const dropExpired = (cache: Map<string, CacheRecord>, now: number) => {
    for (const [key, record] of cache) if (record.expires_at <= now) cache.delete(key)
  }
  return {
    snapshot(trigger, now) {
      const cache = cacheOf(trigger)
      dropExpired(cache, now)
      return Object.fromEntries(cache)
    },
    clear: () => caches.clear(),
    write(trigger, key, record, now) {
      const cache = cacheOf(trigger)
      if (record === undefined) return void cache.delete(key)
      cache.set(key, record)
      if (cache.size <= MAX_CACHE_ENTRIES) return
      dropExpired(cache, now)
      while (cache.size > MAX_CACHE_ENTRIES) {
        let soonest: [string, CacheRecord] | undefined
        for (const entry of cache) if (soonest === undefined || entry[1].expires_at < soonest[1].expires_at) soonest = entry
        cache.delete(soonest![0])
      }
    },
  }
}
