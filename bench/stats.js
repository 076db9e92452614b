// @ts-check
// Figures the benchmarks share.

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(/** @type {number[]} */ xs) {
  if (xs.length === 0) return NaN
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
