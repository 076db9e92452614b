/**
 * Orders ids by code point, which is how SQLite and PostgreSQL (COLLATE "C") order UTF-8 text.
 * JavaScript's own comparison orders UTF-16 code units, which puts U+E000–U+FFFF after emoji.
 */
export function compareIds(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x === y) continue
    const xSurrogate = x >= 0xd800 && x <= 0xdfff
    const ySurrogate = y >= 0xd800 && y <= 0xdfff
    // A surrogate starts a code point above U+FFFF, so it sorts after any other code unit.
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1
    return x - y
  }
  return a.length - b.length
}
