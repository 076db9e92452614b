// In-process store: the default adapter, and the one tests use.
//
// Values are kept as JSON text: every read parses a fresh copy (about twice as fast as
// structuredClone for small objects), and values behave exactly as in the persistent adapters,
// which also store JSON (a Date comes back as its ISO string everywhere, not only in production).

import type { Clock } from '../util/clock.js'
import { systemClock } from '../util/clock.js'
import { compareIds } from './id-order.js'
import type { Kind, ListQuery, Store } from './store.js'

export interface MemoryStore extends Store {
  /** deletes expired entries now and returns how many it deleted */
  sweep(): number
  /** entries held in memory, all kinds, including expired ones not yet swept */
  size(): number
}

export interface MemoryStoreOptions {
  clock?: Clock
  /** how often expired entries are deleted; reads never return them either way */
  sweepIntervalMs?: number
  /**
   * Memory budgets, in characters of stored JSON, for the kinds that anonymous requests can write.
   * Past its budget a kind evicts its own entries only, never another kind's.
   */
  budgets?: Partial<Record<Kind, number>>
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000
// Interactions are written by anyone who opens /authorize, and login attempts by anyone who
// guesses a password: what a flood of them may hold is capped. Every other kind is written only
// after a login or a client's authentication, and is never evicted.
export const DEFAULT_BUDGETS: Readonly<Partial<Record<Kind, number>>> = Object.freeze({
  interaction: 8 * 1024 * 1024,
  login_attempt: 2 * 1024 * 1024,
})
// setInterval treats larger delays as 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1
// Rebuild the expiry heap once stale nodes outnumber live ones by this much.
const COMPACT_SLACK = 1024

interface Entry {
  readonly json: string
  /** ms since the epoch; Infinity when the entry has no ttl */
  readonly expiresAt: number
  /** tells a current entry from the stale heap nodes of the ones it replaced */
  readonly serial: number
  /** budgeted kinds only: read since written, so a browser is using it (see Budget) */
  used?: boolean
}

// A heap node names its entry instead of holding it, so a replaced value is garbage at once.
interface ExpiryNode {
  readonly kind: Kind
  readonly id: string
  readonly expiresAt: number
  readonly serial: number
}

/**
 * A budgeted kind, evicted as a segmented LRU: entries never read since they were written go
 * first, oldest first. A flood writes and never reads, so it evicts only itself; an interaction
 * whose page a browser has opened survives it.
 */
interface Budget {
  readonly limit: number
  size: number
  /** written and not read since, in insertion order */
  readonly unread: Map<string, Entry>
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): MemoryStore {
  const clock = opts.clock ?? systemClock
  const sweepIntervalMs = opts.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS
  if (!Number.isInteger(sweepIntervalMs) || sweepIntervalMs < 1 || sweepIntervalMs > MAX_TIMER_MS) {
    throw new RangeError(`memory store: sweepIntervalMs must be an integer from 1 to ${MAX_TIMER_MS}`)
  }
  const budgets = new Map<Kind, Budget>()
  for (const [kind, limit] of Object.entries({ ...DEFAULT_BUDGETS, ...opts.budgets }) as [Kind, number][]) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`memory store: the budget of ${kind} must be a positive integer`)
    budgets.set(kind, { limit, size: 0, unread: new Map() })
  }

  // One map per kind, so list(kind) never walks other kinds. Maps keep insertion order, which
  // budgeted kinds use as their age.
  const buckets = new Map<Kind, Map<string, Entry>>()
  // Min-heap of ttl entries by expiresAt. Removed entries leave stale nodes until popped or
  // compacted, so deletes stay O(1).
  let heap: ExpiryNode[] = []
  let ttlCount = 0
  let serial = 0
  let closed = false

  const timer = setInterval(sweep, sweepIntervalMs)
  // A pending sweep must never keep the process alive.
  timer.unref()

  function assertOpen(): void {
    if (closed) throw new Error('store is closed')
  }

  function bucketOf(kind: Kind): Map<string, Entry> {
    let bucket = buckets.get(kind)
    if (bucket === undefined) {
      bucket = new Map()
      buckets.set(kind, bucket)
    }
    return bucket
  }

  // Ids of a kind in code-point order, kept once list() or count() asked for that kind, so that
  // prefix look-ups (a user's roles, one user's login attempts) find their range by binary search
  // instead of walking and sorting the whole kind. Bulk removals (sweeps, evictions) rebuild it later.
  const sortedIndexes = new Map<Kind, { ids: string[]; stale: boolean }>()
  let bulkRemoval = false

  function unindex(kind: Kind, id: string): void {
    const index = sortedIndexes.get(kind)
    if (index === undefined || index.stale) return
    if (bulkRemoval) {
      index.stale = true
      return
    }
    const at = lowerBound(index.ids, id)
    if (index.ids[at] === id) index.ids.splice(at, 1)
  }

  function indexNew(kind: Kind, id: string): void {
    const index = sortedIndexes.get(kind)
    if (index === undefined || index.stale) return
    index.ids.splice(lowerBound(index.ids, id), 0, id)
  }

  function sortedIds(kind: Kind, bucket: Map<string, Entry>): string[] {
    let index = sortedIndexes.get(kind)
    if (index === undefined || index.stale) {
      index = { ids: [...bucket.keys()].sort(compareIds), stale: false }
      sortedIndexes.set(kind, index)
    }
    return index.ids
  }

  function remove(kind: Kind, id: string, entry: Entry, stillIndexed = false): void {
    buckets.get(kind)!.delete(id)
    if (!stillIndexed) unindex(kind, id)
    if (entry.expiresAt !== Infinity) ttlCount--
    const budget = budgets.get(kind)
    if (budget === undefined) return
    budget.size -= entry.json.length
    budget.unread.delete(id)
  }

  /** the entry if it is present and not expired; expired ones are removed on the way */
  function live(kind: Kind, id: string): Entry | undefined {
    const entry = buckets.get(kind)?.get(id)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= clock.now()) {
      remove(kind, id, entry)
      return undefined
    }
    return entry
  }

  function markRead(kind: Kind, id: string, entry: Entry): void {
    if (entry.used === true) return
    const budget = budgets.get(kind)
    if (budget === undefined) return
    entry.used = true
    budget.unread.delete(id)
  }

  /** pops the soonest-expiring node; true when it named a current entry, which is removed */
  function popAndRemove(): boolean {
    const node = heapPop(heap)
    if (node === undefined) return false
    const entry = buckets.get(node.kind)?.get(node.id)
    if (entry === undefined || entry.serial !== node.serial) return false
    remove(node.kind, node.id, entry)
    return true
  }

  function sweep(): number {
    const now = clock.now()
    let removed = 0
    bulkRemoval = true
    try {
      while (heap.length > 0 && heap[0]!.expiresAt <= now) {
        if (popAndRemove()) removed++
      }
    } finally {
      bulkRemoval = false
    }
    return removed
  }

  /**
   * Evicts the kind's oldest unread entries, then its oldest ones, until it fits its budget. The
   * entry just written goes last: it is the newest.
   */
  function evictWithin(kind: Kind, budget: Budget, written: string): void {
    const bucket = buckets.get(kind)!
    bulkRemoval = true
    try {
      while (budget.size > budget.limit) {
        const victim = oldestOtherThan(budget.unread, written) ?? oldestOtherThan(bucket, written) ?? written
        remove(kind, victim, bucket.get(victim)!)
      }
    } finally {
      bulkRemoval = false
    }
  }

  function compact(): void {
    heap = heap.filter((node) => buckets.get(node.kind)?.get(node.id)?.serial === node.serial)
    heapify(heap)
  }

  function write(kind: Kind, id: string, value: unknown, ttlSeconds?: number): void {
    const json = JSON.stringify(value)
    if (typeof json !== 'string') {
      throw new TypeError(`store value for ${kind} "${id}" is not JSON-serialisable`)
    }
    if (Number.isNaN(ttlSeconds)) throw new RangeError('ttlSeconds must be a number')
    const now = clock.now()
    const expiresAt = ttlSeconds === undefined ? Infinity : now + ttlSeconds * 1000

    const bucket = bucketOf(kind)
    const previous = bucket.get(id)
    // A ttl that has already run out makes the overwrite a delete.
    if (previous !== undefined) remove(kind, id, previous, expiresAt > now)
    if (expiresAt <= now) return

    // An update keeps what the entry has earned: a read entry stays protected from floods.
    const entry: Entry = { json, expiresAt, serial: ++serial, used: previous?.used }
    bucket.set(id, entry)
    if (previous === undefined) indexNew(kind, id)
    const budget = budgets.get(kind)
    if (budget !== undefined) {
      budget.size += json.length
      if (entry.used !== true) budget.unread.set(id, entry)
      if (budget.size > budget.limit) evictWithin(kind, budget, id)
    }
    if (expiresAt === Infinity || bucket.get(id) !== entry) return
    ttlCount++
    heapPush(heap, { kind, id, expiresAt, serial: entry.serial })
    if (heap.length > 2 * ttlCount + COMPACT_SLACK) compact()
  }

  /** ids of the kind's live entries with the prefix, in id order; expired ones are removed on the way */
  function liveIds(kind: Kind, prefix = ''): string[] {
    const bucket = buckets.get(kind)
    if (bucket === undefined) return []
    const sorted = sortedIds(kind, bucket)
    const now = clock.now()
    const ids: string[] = []
    const expired: string[] = []
    // Ids that start with the prefix sort together, from the first one not below it.
    for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
      const id = sorted[i]!
      if (bucket.get(id)!.expiresAt <= now) expired.push(id)
      else ids.push(id)
    }
    for (const id of expired) remove(kind, id, bucket.get(id)!)
    return ids
  }

  return {
    description: 'memory:',

    async get<T>(kind: Kind, id: string): Promise<T | undefined> {
      assertOpen()
      const entry = live(kind, id)
      if (entry === undefined) return undefined
      markRead(kind, id, entry)
      return JSON.parse(entry.json)
    },

    async set<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<void> {
      assertOpen()
      write(kind, id, value, ttlSeconds)
    },

    async add<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<boolean> {
      assertOpen()
      // No await between the check and the write: they happen in one turn, so only one caller adds.
      if (live(kind, id) !== undefined) return false
      write(kind, id, value, ttlSeconds)
      return true
    },

    async consume<T>(kind: Kind, id: string): Promise<T | undefined> {
      assertOpen()
      // No await between the read and the delete: the two happen in one turn, so only one caller wins.
      const entry = live(kind, id)
      if (entry === undefined) return undefined
      remove(kind, id, entry)
      return JSON.parse(entry.json)
    },

    async delete(kind: Kind, id: string): Promise<void> {
      assertOpen()
      const entry = buckets.get(kind)?.get(id)
      if (entry !== undefined) remove(kind, id, entry)
    },

    async clear(kind: Kind): Promise<number> {
      assertOpen()
      const bucket = buckets.get(kind)
      if (bucket === undefined) return 0
      const cleared = bucket.size
      bulkRemoval = true
      try {
        for (const [id, entry] of [...bucket]) remove(kind, id, entry)
      } finally {
        bulkRemoval = false
      }
      return cleared
    },

    async list<T>(kind: Kind, query: ListQuery = {}): Promise<T[]> {
      assertOpen()
      const ids = liveIds(kind, query.prefix)
      const start = query.offset ?? 0
      const end = query.limit === undefined ? undefined : start + query.limit
      const bucket = buckets.get(kind)
      return ids.slice(start, end).map((id) => JSON.parse(bucket!.get(id)!.json) as T)
    },

    async count(kind: Kind, prefix?: string): Promise<number> {
      assertOpen()
      return liveIds(kind, prefix).length
    },

    async ping(): Promise<void> {
      assertOpen()
    },

    async close(): Promise<void> {
      // Idempotent, so both an onClose hook and a test teardown may call it.
      if (closed) return
      closed = true
      clearInterval(timer)
      buckets.clear()
      sortedIndexes.clear()
      for (const budget of budgets.values()) {
        budget.size = 0
        budget.unread.clear()
      }
      heap = []
      ttlCount = 0
    },

    sweep,

    size(): number {
      let n = 0
      for (const bucket of buckets.values()) n += bucket.size
      return n
    }
  }
}

/** the position of the first id not below `key`, in ids sorted by compareIds */
function lowerBound(ids: readonly string[], key: string): number {
  let low = 0
  let high = ids.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (compareIds(ids[mid]!, key) < 0) low = mid + 1
    else high = mid
  }
  return low
}

/** the first key in insertion order that is not `except` (looks at two at most) */
function oldestOtherThan(map: Map<string, Entry>, except: string): string | undefined {
  for (const id of map.keys()) if (id !== except) return id
  return undefined
}

// Binary min-heap on expiresAt, kept in a plain array.

function heapPush(heap: ExpiryNode[], node: ExpiryNode): void {
  heap.push(node)
  siftUp(heap, heap.length - 1)
}

function heapPop(heap: ExpiryNode[]): ExpiryNode | undefined {
  const top = heap[0]
  const last = heap.pop()
  if (top !== undefined && last !== undefined && heap.length > 0) {
    heap[0] = last
    siftDown(heap, 0)
  }
  return top
}

function heapify(heap: ExpiryNode[]): void {
  for (let i = (heap.length >>> 1) - 1; i >= 0; i--) siftDown(heap, i)
}

function siftUp(heap: ExpiryNode[], i: number): void {
  const node = heap[i]!
  while (i > 0) {
    const parent = (i - 1) >>> 1
    if (heap[parent]!.expiresAt <= node.expiresAt) break
    heap[i] = heap[parent]!
    i = parent
  }
  heap[i] = node
}

function siftDown(heap: ExpiryNode[], i: number): void {
  const node = heap[i]!
  const n = heap.length
  for (;;) {
    let child = 2 * i + 1
    if (child >= n) break
    if (child + 1 < n && heap[child + 1]!.expiresAt < heap[child]!.expiresAt) child++
    if (heap[child]!.expiresAt >= node.expiresAt) break
    heap[i] = heap[child]!
    i = child
  }
  heap[i] = node
}
