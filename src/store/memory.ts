// In-process store: the default adapter, and the one tests use.
//
// Values are kept as JSON text: every read parses a fresh copy (about twice as fast as
// structuredClone for small objects), and values behave exactly as in the persistent adapters,
// which also store JSON (a Date comes back as its ISO string everywhere, not only in production).

import type { Clock } from '../util/clock.js'
import { systemClock } from '../util/clock.js'
import type { Kind, Store } from './store.js'

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
  /** cap on entries with a ttl; past it, the entries that expire soonest are evicted */
  maxEntries?: number
}

const DEFAULT_SWEEP_INTERVAL_MS = 60_000
// About 300 MB of small session-sized values. Entries without a ttl are configuration (clients, users),
// so only ttl entries count and get evicted.
const DEFAULT_MAX_ENTRIES = 500_000
// setInterval treats larger delays as 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1
// Rebuild the expiry heap once stale nodes outnumber live ones by this much.
const COMPACT_SLACK = 1024

interface Entry {
  readonly kind: Kind
  readonly id: string
  readonly json: string
  /** ms since the epoch; Infinity when the entry has no ttl */
  readonly expiresAt: number
}

export function createMemoryStore(opts: MemoryStoreOptions = {}): MemoryStore {
  const clock = opts.clock ?? systemClock
  const sweepIntervalMs = opts.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS
  const maxEntries = opts.maxEntries ?? DEFAULT_MAX_ENTRIES
  if (!Number.isInteger(sweepIntervalMs) || sweepIntervalMs < 1 || sweepIntervalMs > MAX_TIMER_MS) {
    throw new RangeError(`memory store: sweepIntervalMs must be an integer from 1 to ${MAX_TIMER_MS}`)
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError('memory store: maxEntries must be a positive integer')
  }

  // One map per kind, so list(kind) never walks other kinds.
  const buckets = new Map<Kind, Map<string, Entry>>()
  // Min-heap of ttl entries by expiresAt. Removed entries stay in it as stale nodes until popped
  // or compacted, so deletes stay O(1).
  let heap: Entry[] = []
  let ttlCount = 0
  let closed = false

  const timer = setInterval(sweep, sweepIntervalMs)
  // A pending sweep must never keep the process alive.
  timer.unref()

  function assertOpen(): void {
    if (closed) throw new Error('store is closed')
  }

  function isCurrent(entry: Entry): boolean {
    return buckets.get(entry.kind)?.get(entry.id) === entry
  }

  function remove(bucket: Map<string, Entry>, entry: Entry): void {
    bucket.delete(entry.id)
    if (entry.expiresAt !== Infinity) ttlCount--
  }

  /** the entry if it is present and not expired; expired ones are removed on the way */
  function live(kind: Kind, id: string): Entry | undefined {
    const bucket = buckets.get(kind)
    const entry = bucket?.get(id)
    if (bucket === undefined || entry === undefined) return undefined
    if (entry.expiresAt <= clock.now()) {
      remove(bucket, entry)
      return undefined
    }
    return entry
  }

  /** pops the soonest-expiring node; true when it was a current entry and got removed */
  function popAndRemove(): boolean {
    const entry = heapPop(heap)
    if (entry === undefined || !isCurrent(entry)) return false
    remove(buckets.get(entry.kind)!, entry)
    return true
  }

  function sweep(): number {
    const now = clock.now()
    let removed = 0
    while (heap.length > 0 && heap[0]!.expiresAt <= now) {
      if (popAndRemove()) removed++
    }
    return removed
  }

  function evict(): void {
    sweep()
    while (ttlCount > maxEntries && heap.length > 0) popAndRemove()
  }

  function compact(): void {
    heap = heap.filter(isCurrent)
    heapify(heap)
  }

  return {
    async get<T>(kind: Kind, id: string): Promise<T | undefined> {
      assertOpen()
      const entry = live(kind, id)
      return entry === undefined ? undefined : JSON.parse(entry.json)
    },

    async set<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<void> {
      assertOpen()
      const json = JSON.stringify(value)
      if (typeof json !== 'string') {
        throw new TypeError(`store value for ${kind} "${id}" is not JSON-serialisable`)
      }
      if (Number.isNaN(ttlSeconds)) throw new RangeError('ttlSeconds must be a number')
      const now = clock.now()
      const expiresAt = ttlSeconds === undefined ? Infinity : now + ttlSeconds * 1000

      let bucket = buckets.get(kind)
      if (bucket === undefined) {
        bucket = new Map()
        buckets.set(kind, bucket)
      }
      const previous = bucket.get(id)
      if (previous !== undefined) remove(bucket, previous)
      // A ttl that has already run out makes the overwrite a delete.
      if (expiresAt <= now) return

      const entry: Entry = { kind, id, json, expiresAt }
      bucket.set(id, entry)
      if (expiresAt === Infinity) return
      ttlCount++
      heapPush(heap, entry)
      if (ttlCount > maxEntries) evict()
      else if (heap.length > 2 * ttlCount + COMPACT_SLACK) compact()
    },

    async consume<T>(kind: Kind, id: string): Promise<T | undefined> {
      assertOpen()
      // No await between the read and the delete: the two happen in one turn, so only one caller wins.
      const entry = live(kind, id)
      if (entry === undefined) return undefined
      remove(buckets.get(kind)!, entry)
      return JSON.parse(entry.json)
    },

    async delete(kind: Kind, id: string): Promise<void> {
      assertOpen()
      const bucket = buckets.get(kind)
      const entry = bucket?.get(id)
      if (bucket !== undefined && entry !== undefined) remove(bucket, entry)
    },

    async list<T>(kind: Kind): Promise<T[]> {
      assertOpen()
      const bucket = buckets.get(kind)
      if (bucket === undefined) return []
      const now = clock.now()
      const values: T[] = []
      for (const entry of bucket.values()) {
        if (entry.expiresAt <= now) remove(bucket, entry)
        else values.push(JSON.parse(entry.json))
      }
      return values
    },

    async close(): Promise<void> {
      // Idempotent, so both an onClose hook and a test teardown may call it.
      if (closed) return
      closed = true
      clearInterval(timer)
      buckets.clear()
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

// Binary min-heap on expiresAt, kept in a plain array.

function heapPush(heap: Entry[], entry: Entry): void {
  heap.push(entry)
  siftUp(heap, heap.length - 1)
}

function heapPop(heap: Entry[]): Entry | undefined {
  const top = heap[0]
  const last = heap.pop()
  if (top !== undefined && last !== undefined && heap.length > 0) {
    heap[0] = last
    siftDown(heap, 0)
  }
  return top
}

function heapify(heap: Entry[]): void {
  for (let i = (heap.length >>> 1) - 1; i >= 0; i--) siftDown(heap, i)
}

function siftUp(heap: Entry[], i: number): void {
  const entry = heap[i]!
  while (i > 0) {
    const parent = (i - 1) >>> 1
    if (heap[parent]!.expiresAt <= entry.expiresAt) break
    heap[i] = heap[parent]!
    i = parent
  }
  heap[i] = entry
}

function siftDown(heap: Entry[], i: number): void {
  const entry = heap[i]!
  const n = heap.length
  for (;;) {
    let child = 2 * i + 1
    if (child >= n) break
    if (child + 1 < n && heap[child + 1]!.expiresAt < heap[child]!.expiresAt) child++
    if (heap[child]!.expiresAt >= entry.expiresAt) break
    heap[i] = heap[child]!
    i = child
  }
  heap[i] = entry
}
