// The process's heap sizing: memory that follows the data Gatehouse keeps, not the bursts it served.
import { setFlagsFromString } from 'node:v8'

/**
 * How far V8 may let the heap grow past what the last full collection kept, in percent. V8 lets
 * it reach up to 4× on a machine with memory to spare, and a burst of short-lived requests (an
 * anonymous /authorize flood) then leaves the process holding that high-water mark for many
 * seconds after the burst. 1.5× keeps a server whose live set is tens of MB near that size.
 */
export const HEAP_GROWING_PERCENT = 50

/** Applies the heap sizing unless whoever started Node chose their own. */
export function limitHeapGrowth(execArgv: readonly string[], setFlags: (flags: string) => void = setFlagsFromString): boolean {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false
  setFlags(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  return true
}
