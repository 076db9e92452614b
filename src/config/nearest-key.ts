// "Did you mean …?" for a mistyped config key: the closest known key, when it is close enough.

/** Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`; case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  // rows i-2, i-1 and i of the optimal string alignment table
  let before: number[] = []
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const current = [i]
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, before[j - 2]! + 1)
      current.push(best)
    }
    before = previous
    previous = current
  }
  return previous[t.length]!
}

// Short keys tolerate one edit, longer ones about a third of their length (callback_url → callbacks is 4 of 12).
const tolerance = (key: string): number => (key.length <= 4 ? 1 : key.length <= 8 ? 2 : Math.floor(key.length / 3))

/** The known key nearest to `unknown`, or undefined when none is close; the first one wins a tie. */
export function nearestKey(unknown: string, known: readonly string[]): string | undefined {
  let found: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const distance = editDistance(unknown, candidate)
    if (distance < bestDistance && distance <= tolerance(unknown)) {
      found = candidate
      bestDistance = distance
    }
  }
  return found
}
