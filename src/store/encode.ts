// What every adapter stores for a value: its JSON text and when it expires.

export interface EncodedEntry {
  json: string
  /** ms since the epoch; null when the entry has no ttl */
  expiresAt: number | null
}

export function encodeEntry(kind: string, id: string, value: unknown, ttlSeconds: number | undefined, now: number): EncodedEntry {
  const json = JSON.stringify(value)
  if (typeof json !== 'string') throw new TypeError(`store value for ${kind} "${id}" is not JSON-serialisable`)
  if (Number.isNaN(ttlSeconds)) throw new RangeError('ttlSeconds must be a number')
  return { json, expiresAt: ttlSeconds === undefined ? null : now + Math.round(ttlSeconds * 1000) }
}

/** true when a ttl has already run out: the write is then a delete */
export const isExpired = (entry: EncodedEntry, now: number): boolean => entry.expiresAt !== null && entry.expiresAt <= now

/** The exclusive upper bound of ids starting with prefix (U+10FFFF is a noncharacter, never in an id). */
export const prefixEnd = (prefix: string): string => `${prefix}\u{10FFFF}`
