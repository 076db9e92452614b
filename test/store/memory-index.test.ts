// The memory store's sorted index (prefix look-ups by binary search) against a plain model: random
// writes, overwrites, deletes, consumes, expiries, sweeps and evictions, then every prefix compared.
import t from 'tap'
import { createMemoryStore } from '../../src/store/memory.js'
import { compareIds } from '../../src/store/id-order.js'
import { createFakeClock } from './contract.js'

// A tiny deterministic generator, so a failure replays exactly.
function generator(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

const OWNERS = ['a', 'a|', 'ab', 'b', 'é', '😀', '\uE000']

t.test('list and count by prefix match a model through random operations', async (t) => {
  const random = generator(7)
  const clock = createFakeClock()
  // a small budget, so evictions happen too
  const store = createMemoryStore({ clock, budgets: { interaction: 4000 } })
  t.teardown(() => store.close())
  const model = new Map<string, { value: number; expiresAt: number }>()
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const kind = 'user_role'

  for (let step = 0; step < 3000; step++) {
    const id = `${pick(OWNERS)}|${Math.floor(random() * 40)}`
    const roll = random()
    if (roll < 0.5) {
      const ttl = random() < 0.3 ? 1 + Math.floor(random() * 5) : undefined
      await store.set(kind, id, step, ttl)
      model.set(id, { value: step, expiresAt: ttl === undefined ? Infinity : clock.now() + ttl * 1000 })
    } else if (roll < 0.65) {
      await store.delete(kind, id)
      model.delete(id)
    } else if (roll < 0.75) {
      const got = await store.consume<number>(kind, id)
      const expected = model.get(id)
      t.equal(got, expected && expected.expiresAt > clock.now() ? expected.value : undefined)
      model.delete(id)
    } else if (roll < 0.85) {
      clock.advance(1000)
    } else if (roll < 0.9) {
      store.sweep()
    } else {
      const prefix = random() < 0.2 ? '' : pick(OWNERS)
      const live = [...model.entries()].filter(([mid, e]) => mid.startsWith(prefix) && e.expiresAt > clock.now())
      live.sort(([x], [y]) => compareIds(x, y))
      const offset = Math.floor(random() * 3)
      const limit = 1 + Math.floor(random() * 10)
      const listed = await store.list<number>(kind, { prefix, offset, limit })
      if (listed.join() !== live.slice(offset, offset + limit).map(([, e]) => e.value).join()) {
        t.fail(`step ${step}: list(${JSON.stringify(prefix)}) differs`)
        return
      }
      t.equal(await store.count(kind, prefix), live.length, `step ${step}: count`)
    }
  }
})
