import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { openStore } from '../../src/store/index.js'
import { createMemoryStore } from '../../src/store/memory.js'
import type { MemoryStore, MemoryStoreOptions } from '../../src/store/memory.js'
import type { Test } from 'tap'
import { createFakeClock, storeContract } from './contract.js'
import type { FakeClock } from './contract.js'

storeContract(t, 'createMemoryStore', (clock) => createMemoryStore({ clock }))
storeContract(t, 'openStore("memory:")', (clock) => openStore('memory:', { clock }))

function open(t: Test, opts: MemoryStoreOptions = {}): { store: MemoryStore; clock: FakeClock } {
  const clock = createFakeClock()
  const store = createMemoryStore({ clock, ...opts })
  t.teardown(() => store.close())
  return { store, clock }
}

t.test('openStore rejects URLs that name no adapter', async (t) => {
  for (const url of ['memory://', 'sqlite:', 'redis://localhost', 'postgres:/x', '']) {
    await t.rejects(openStore(url), {
      name: 'StoreError',
      message: `unsupported store "${url}": use memory:, sqlite:PATH or postgres://user:password@host:port/database`,
    })
  }
})

t.test('sweep deletes expired entries and counts them', async (t) => {
  const { store, clock } = open(t)
  await store.set('code', 'a', 1, 10)
  await store.set('code', 'b', 2, 10)
  await store.set('session', 'c', 3, 20)
  await store.set('client', 'd', 4)
  await store.set('code', 'consumed', 5, 10)
  await store.consume('code', 'consumed')
  t.equal(store.size(), 4)
  t.equal(store.sweep(), 0, 'nothing has expired yet')

  clock.advance(10_000)
  t.equal(store.size(), 4, 'expired entries stay in memory until swept')
  t.equal(store.sweep(), 2, 'consumed entries are not counted again')
  t.equal(store.size(), 2)
  clock.advance(10_000)
  t.equal(store.sweep(), 1)
  t.equal(store.size(), 1, 'the entry without ttl remains')
})

t.test('reads drop the expired entries they meet', async (t) => {
  const { store, clock } = open(t)
  await store.set('code', 'a', 1, 1)
  await store.set('session', 'b', 2, 1)
  await store.set('session', 'c', 3, 1)
  clock.advance(1_000)
  await store.get('code', 'a')
  t.equal(store.size(), 2)
  await store.list('session')
  t.equal(store.size(), 0)
  t.equal(store.sweep(), 0)
})

t.test('the timer sweeps on its own', async (t) => {
  const { store, clock } = open(t, { sweepIntervalMs: 5 })
  await store.set('interaction', 'i1', {}, 1)
  clock.advance(1_000)
  for (let i = 0; i < 100 && store.size() > 0; i++) await sleep(5)
  t.equal(store.size(), 0)
})

t.test('the sweep timer does not keep the process alive', async (t) => {
  const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
  const before = refTimers()
  const store = createMemoryStore({ sweepIntervalMs: 1_000 })
  t.equal(refTimers(), before)
  await store.close()

  // the probe itself can see a ref'd timer
  const control = setInterval(() => {}, 1_000)
  t.equal(refTimers(), before + 1)
  clearInterval(control)
})

t.test('a budgeted kind evicts its own never-read entries first, oldest first', async (t) => {
  // each value below is 10 characters of JSON: '"iiiiiiii"'
  const value = (c: string) => c.repeat(8)
  const { store } = open(t, { budgets: { interaction: 30 } })
  await store.set('code', 'live-code', value('c'), 60)
  await store.set('session', 'live-session', value('s'), 60)
  await store.set('interaction', 'opened', value('o'), 600)
  t.equal(await store.get('interaction', 'opened'), value('o'), 'a browser opened its page')
  for (let i = 0; i < 1000; i++) await store.set('interaction', `flood${i}`, value('f'), 600)

  t.equal(await store.get('interaction', 'opened'), value('o'), 'the read interaction survives the flood')
  t.equal(await store.get('interaction', 'flood999'), value('f'), 'the newest flood entry fits')
  t.equal(await store.get('interaction', 'flood998'), value('f'))
  t.equal(await store.get('interaction', 'flood997'), undefined, 'older ones were evicted')
  t.equal(await store.get('code', 'live-code'), value('c'), 'other kinds are never evicted for it')
  t.equal(await store.get('session', 'live-session'), value('s'))
  t.equal(store.size(), 5)
})

t.test('an update keeps a read entry protected; read entries go only when nothing unread is left', async (t) => {
  const { store } = open(t, { budgets: { interaction: 30 } })
  await store.set('interaction', 'a', 'aaaaaaaa', 600)
  await store.set('interaction', 'b', 'bbbbbbbb', 600)
  await store.get('interaction', 'a')
  await store.get('interaction', 'b')
  await store.set('interaction', 'a', 'AAAAAAAA', 600)
  await store.set('interaction', 'c', 'cccccccc', 600)
  await store.set('interaction', 'd', 'dddddddd', 600)
  t.equal(await store.get('interaction', 'c'), undefined, 'the unread one went first')
  t.equal(await store.get('interaction', 'a'), 'AAAAAAAA')
  t.equal(await store.get('interaction', 'd'), 'dddddddd')
  // all three are read now: the oldest write goes
  await store.set('interaction', 'e', 'eeeeeeee', 600)
  await store.get('interaction', 'e')
  t.equal(await store.get('interaction', 'b'), undefined)
  t.same((await store.list<string>('interaction')).sort(), ['AAAAAAAA', 'dddddddd', 'eeeeeeee'])
})

t.test('a value larger than its budget is not kept', async (t) => {
  const { store } = open(t, { budgets: { interaction: 5 } })
  await store.set('interaction', 'big', 'x'.repeat(10), 600)
  t.equal(await store.get('interaction', 'big'), undefined)
  t.equal(store.size(), 0)
})

t.test('expired entries go before budget eviction counts them', async (t) => {
  const { store, clock } = open(t, { budgets: { interaction: 25 } })
  await store.set('interaction', 'old', 'oooooooo', 1)
  await store.set('interaction', 'live', 'llllllll', 100)
  await store.get('interaction', 'live')
  clock.advance(2_000)
  t.equal(store.sweep(), 1)
  await store.set('interaction', 'new', 'nnnnnnnn', 50)
  t.equal(store.size(), 2)
  t.same(await store.get('interaction', 'live'), 'llllllll')
  t.same(await store.get('interaction', 'new'), 'nnnnnnnn')
})

t.test('many overwrites and consumes keep expiry exact', async (t) => {
  const { store, clock } = open(t)
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 100; i++) await store.set('code', `c${i}`, i, 60 + i)
    for (let i = 0; i < 100; i += 2) await store.consume('code', `c${i}`)
  }
  t.equal(store.size(), 50)
  clock.advance(60_000 + 50_000)
  t.equal(store.sweep(), 25)
  t.equal(store.size(), 25)
})

t.test('a ttl that has already run out deletes', async (t) => {
  const { store } = open(t)
  await store.set('session', 's1', 'v')
  await store.set('session', 's1', 'v', 0)
  t.equal(await store.get('session', 's1'), undefined)
  await store.set('session', 's2', 'v', -5)
  t.equal(store.size(), 0)
  await t.rejects(store.set('session', 's3', 'v', Number.NaN), RangeError)
})

t.test('values are JSON, as in the persistent adapters', async (t) => {
  const { store } = open(t)
  await store.set('session', 'd', { at: new Date(0), gone: undefined })
  t.same(await store.get('session', 'd'), { at: '1970-01-01T00:00:00.000Z' })
  await t.rejects(store.set('session', 'u', undefined), TypeError)
  await t.rejects(store.set('session', 'f', () => 1), TypeError)
  await t.rejects(store.set('session', 'b', { n: 1n }), TypeError)
  t.equal(store.size(), 1)
})

t.test('close empties the store', async (t) => {
  const { store } = open(t)
  await store.set('client', 'c', 1)
  await store.set('code', 'x', 1, 60)
  await store.close()
  t.equal(store.size(), 0)
  t.equal(store.sweep(), 0)
})

t.test('bad options fail at creation', async (t) => {
  t.throws(() => createMemoryStore({ budgets: { interaction: 0 } }), RangeError)
  t.throws(() => createMemoryStore({ budgets: { interaction: 1.5 } }), RangeError)
  t.throws(() => createMemoryStore({ sweepIntervalMs: 0 }), RangeError)
  t.throws(() => createMemoryStore({ sweepIntervalMs: 2 ** 31 }), RangeError)
})

t.test('stores share nothing', async (t) => {
  const a = open(t).store
  const b = open(t).store
  await a.set('client', 'c', 'a')
  t.equal(await b.get('client', 'c'), undefined)
})
