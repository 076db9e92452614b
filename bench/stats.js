// @ts-check
// Figures the benchmarks share.

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(/** @type {number[]} */ xs) {
  if (xs.length === 0) return NaN
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * The share of paired rounds (`on[i]` next to `off[i]`, run back to back): the median round's
 * ratio, and the spread of the rounds as printed beside it.
 */
export function pairedShare(/** @type {number[]} */ on, /** @type {number[]} */ off) {
  const ratios = on.map((value, round) => value / off[round])
  const percent = (/** @type {number} */ ratio) => Math.round(ratio * 100)
  return { share: median(ratios), spread: `rounds ${percent(Math.min(...ratios))}–${percent(Math.max(...ratios))} %` }
}
