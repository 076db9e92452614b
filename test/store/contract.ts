// The behaviour every store adapter must share. Each adapter's test file runs it against its own
// factory; `make` must return an empty store and is called once per subtest.

import type { Test } from 'tap'
import type { Kind, Store } from '../../src/store/store.js'
import type { Clock } from '../../src/util/clock.js'

export interface FakeClock extends Clock {
  advance(ms: number): void
}

export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start
  return {
    now: () => now,
    advance: (ms) => {
      now += ms
    }
  }
}

export interface StoreContractOptions {
  /** the adapter decides expiry with its own clock (e.g. the database's), so the fake one can't drive it */
  skipTimeTests?: boolean
}

const CLOSED = { message: 'store is closed' }

export function storeContract(
  t: Test,
  name: string,
  make: (clock: Clock) => Promise<Store> | Store,
  opts: StoreContractOptions = {}
): Promise<unknown> {
  const timed = { skip: opts.skipTimeTests === true ? 'adapter ignores the injected clock' : false }

  async function open(t: Test): Promise<{ store: Store; clock: FakeClock }> {
    const clock = createFakeClock()
    const store = await make(clock)
    t.teardown(() => store.close())
    return { store, clock }
  }

  return t.test(`${name} store contract`, async (t) => {
    t.test('set then get returns an equal copy of a nested value', async (t) => {
      const { store } = await open(t)
      const value = {
        sub: 'auth0|123',
        scope: ['openid', 'profile'],
        nested: { deep: { n: 42, ok: true, none: null, list: [{ a: 1 }, { b: 'é✓' }] } },
        empty: {}
      }
      await store.set('session', 's1', value)
      const got = await store.get<typeof value>('session', 's1')
      t.same(got, value)
      t.not(got, value, 'not the object that was passed to set')
      t.same(await store.get('session', 's1'), value, 'reads do not consume')
      await store.set('user', 'scalar', 'just a string')
      t.equal(await store.get('user', 'scalar'), 'just a string')
    })

    t.test('missing entries read as undefined', async (t) => {
      const { store } = await open(t)
      t.equal(await store.get('client', 'nope'), undefined)
      t.equal(await store.consume('code', 'nope'), undefined)
      await t.resolves(store.delete('grant', 'nope'), 'deleting a missing entry is not an error')
      t.same(await store.list('client'), [])
    })

    t.test('ids are opaque strings', async (t) => {
      const { store } = await open(t)
      const ids = ['a:b', 'a/b?c=d&e', ' spaced ', 'ünïcødé', 'x'.repeat(512), "quote'\""]
      for (const [i, id] of ids.entries()) await store.set('client', id, { i })
      for (const [i, id] of ids.entries()) t.same(await store.get('client', id), { i }, JSON.stringify(id))
      t.equal((await store.list('client')).length, ids.length)
    })

    t.test('each kind is its own namespace', async (t) => {
      const { store } = await open(t)
      await store.set('client', 'same', { kind: 'client' })
      await store.set('user', 'same', { kind: 'user' })
      await store.set('user_lookup', 'same', { kind: 'user_lookup' })
      t.same(await store.get('client', 'same'), { kind: 'client' })
      t.same(await store.get('user', 'same'), { kind: 'user' })
      await store.delete('user', 'same')
      t.equal(await store.get('user', 'same'), undefined)
      t.same(await store.get('client', 'same'), { kind: 'client' }, 'delete leaves other kinds alone')
      t.same(await store.consume('user_lookup', 'same'), { kind: 'user_lookup' })
      t.same(await store.get('client', 'same'), { kind: 'client' }, 'consume leaves other kinds alone')
      t.same(await store.list('client'), [{ kind: 'client' }])
    })

    t.test('set with an existing id overwrites', async (t) => {
      const { store } = await open(t)
      await store.set('client', 'c1', { v: 1, old: true })
      await store.set('client', 'c1', { v: 2 })
      t.same(await store.get('client', 'c1'), { v: 2 }, 'replaced, not merged')
      t.same(await store.list('client'), [{ v: 2 }])
    })

    t.test('entries with a ttl expire', timed, async (t) => {
      const { store, clock } = await open(t)
      const kinds: Kind[] = ['code', 'interaction']
      for (const kind of kinds) {
        await store.set(kind, 'for-get', { kind }, 10)
        await store.set(kind, 'for-consume', { kind }, 10)
      }
      clock.advance(10_000 - 1)
      t.same(await store.get('code', 'for-get'), { kind: 'code' }, 'alive just before the ttl')
      t.same(await store.consume('code', 'for-consume'), { kind: 'code' })
      t.equal((await store.list('interaction')).length, 2)

      clock.advance(2)
      t.equal(await store.get('interaction', 'for-get'), undefined, 'get after the ttl')
      t.equal(await store.consume('interaction', 'for-consume'), undefined, 'consume after the ttl')
      t.same(await store.list('code'), [], 'list after the ttl')
      t.same(await store.list('interaction'), [])
    })

    t.test('entries without a ttl never expire', timed, async (t) => {
      const { store, clock } = await open(t)
      await store.set('client', 'forever', { ok: true })
      await store.set('code', 'short', { ok: true }, 1)
      clock.advance(10 * 365 * 24 * 3600 * 1000)
      t.same(await store.get('client', 'forever'), { ok: true })
      t.same(await store.list('client'), [{ ok: true }])
      t.equal(await store.get('code', 'short'), undefined)
    })

    t.test('overwriting resets the ttl', timed, async (t) => {
      const { store, clock } = await open(t)
      await store.set('session', 'renewed', { n: 1 }, 10)
      await store.set('session', 'made-permanent', { n: 1 }, 10)
      clock.advance(8_000)
      await store.set('session', 'renewed', { n: 2 }, 10)
      await store.set('session', 'made-permanent', { n: 2 })
      clock.advance(8_000)
      t.same(await store.get('session', 'renewed'), { n: 2 }, 'the new ttl counts from the overwrite')
      clock.advance(2_001)
      t.equal(await store.get('session', 'renewed'), undefined)
      t.same(await store.get('session', 'made-permanent'), { n: 2 }, 'an overwrite without ttl drops the ttl')
    })

    t.test('consume returns the value once', async (t) => {
      const { store } = await open(t)
      await store.set('code', 'c1', { sub: 'u1' }, 60)
      t.same(await store.consume('code', 'c1'), { sub: 'u1' })
      t.equal(await store.consume('code', 'c1'), undefined)
      t.equal(await store.get('code', 'c1'), undefined)
      t.same(await store.list('code'), [])
    })

    t.test('concurrent consumes of one id: exactly one wins', async (t) => {
      const { store } = await open(t)
      await store.set('code', 'race', { sub: 'u1' }, 60)
      await store.set('refresh_token', 'race', { sub: 'u2' })
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.consume<{ sub: string }>('code', 'race'))
      )
      const winners = results.filter((r) => r !== undefined)
      t.equal(winners.length, 1)
      t.same(winners[0], { sub: 'u1' })
      t.same(await store.get('refresh_token', 'race'), { sub: 'u2' }, 'same id in another kind untouched')
    })

    t.test('delete removes the entry', async (t) => {
      const { store } = await open(t)
      await store.set('grant', 'g1', { scope: 'openid' })
      await store.set('grant', 'g2', { scope: 'email' }, 60)
      await store.delete('grant', 'g1')
      await store.delete('grant', 'g2')
      t.equal(await store.get('grant', 'g1'), undefined)
      t.equal(await store.consume('grant', 'g2'), undefined)
      t.same(await store.list('grant'), [])
      await t.resolves(store.delete('grant', 'g1'), 'deleting twice is not an error')
    })

    t.test('clear deletes every entry of one kind, and only of that kind', async (t) => {
      const { store } = await open(t)
      await store.set('code', 'c1', { n: 1 })
      await store.set('code', 'c2', { n: 2 }, 60)
      await store.set('code', 'used:c3', { n: 3 })
      await store.set('grant', 'c1', { n: 4 })
      t.equal(await store.clear('code'), 3)
      t.same(await store.list('code'), [])
      t.equal(await store.count('code'), 0)
      t.equal(await store.get('code', 'c2'), undefined)
      t.same(await store.get('grant', 'c1'), { n: 4 }, 'other kinds untouched')
      t.equal(await store.clear('code'), 0, 'clearing an empty kind is not an error')
      t.equal(await store.add('code', 'c1', { n: 5 }), true, 'ids are free again')
    })

    t.test('list returns the values of one kind', async (t) => {
      const { store } = await open(t)
      await store.set('client', 'a', { id: 'a' })
      await store.set('client', 'b', { id: 'b' }, 3600)
      await store.set('client', 'c', { id: 'c' })
      await store.delete('client', 'c')
      await store.set('resource_server', 'a', { id: 'api' })
      const ids = (await store.list<{ id: string }>('client')).map((v) => v.id).sort()
      t.same(ids, ['a', 'b'])
      t.same(await store.list('session'), [], 'a kind never written to is empty')
    })

    t.test('list skips expired entries', timed, async (t) => {
      const { store, clock } = await open(t)
      await store.set('session', 'short', { id: 'short' }, 5)
      await store.set('session', 'long', { id: 'long' }, 50)
      await store.set('session', 'forever', { id: 'forever' })
      clock.advance(6_000)
      const ids = (await store.list<{ id: string }>('session')).map((v) => v.id).sort()
      t.same(ids, ['forever', 'long'])
    })

    t.test('values cannot be changed from outside the store', async (t) => {
      const { store } = await open(t)
      const value = { name: 'alice', roles: ['admin'], profile: { email: 'a@example.com' } }
      await store.set('user', 'u1', value)
      value.name = 'mallory'
      value.roles.push('root')
      t.same(await store.get('user', 'u1'), { name: 'alice', roles: ['admin'], profile: { email: 'a@example.com' } },
        'mutating the object given to set')

      const got = (await store.get<typeof value>('user', 'u1'))!
      got.name = 'eve'
      got.profile.email = 'eve@example.com'
      const listed = (await store.list<typeof value>('user'))[0]!
      listed.roles.length = 0
      t.same(await store.get('user', 'u1'), { name: 'alice', roles: ['admin'], profile: { email: 'a@example.com' } },
        'mutating objects returned by get and list')
    })

    t.test('add sets only when there is no live entry', async (t) => {
      const { store } = await open(t)
      t.equal(await store.add('signing_key', 'RS256', { n: 1 }), true, 'the first add wins')
      t.equal(await store.add('signing_key', 'RS256', { n: 2 }), false, 'a second add loses')
      t.same(await store.get('signing_key', 'RS256'), { n: 1 }, 'and leaves the first value')
      await store.delete('signing_key', 'RS256')
      t.equal(await store.add('signing_key', 'RS256', { n: 3 }), true, 'after a delete the id is free again')
      t.equal(await store.add('user', 'RS256', { other: 'kind' }), true, 'each kind is its own namespace')
      await store.set('code', 'taken', { n: 1 }, 60)
      t.equal(await store.add('code', 'taken', { n: 2 }, 60), false)
    })

    t.test('concurrent adds of one id: exactly one wins', async (t) => {
      const { store } = await open(t)
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.add('signing_key', 'race', { i })))
      t.equal(results.filter((won) => won).length, 1)
      const winner = results.indexOf(true)
      t.same(await store.get('signing_key', 'race'), { i: winner }, 'the stored value is the winner’s')
    })

    t.test('add over an expired entry wins', timed, async (t) => {
      const { store, clock } = await open(t)
      await store.set('interaction', 'old', { n: 1 }, 10)
      clock.advance(10_000)
      t.equal(await store.add('interaction', 'old', { n: 2 }, 10), true)
      t.same(await store.get('interaction', 'old'), { n: 2 })
      clock.advance(9_999)
      t.same(await store.get('interaction', 'old'), { n: 2 }, 'with its own ttl')
    })

    t.test('list and count: id order, prefixes and pages', async (t) => {
      const { store } = await open(t)
      // written out of order, on purpose
      for (const id of ['u2|b', 'u1|c', 'u10|a', 'u1|a', 'u1|b', 'u|z', 'v']) await store.set('grant', id, { id })
      const ids = async (query?: Parameters<Store['list']>[1]) =>
        (await store.list<{ id: string }>('grant', query)).map((v) => v.id)
      t.same(await ids(), ['u10|a', 'u1|a', 'u1|b', 'u1|c', 'u2|b', 'u|z', 'v'], 'all, in id order')
      t.same(await ids({ prefix: 'u1|' }), ['u1|a', 'u1|b', 'u1|c'], 'one owner’s entries')
      t.same(await ids({ prefix: 'u1|', offset: 1, limit: 1 }), ['u1|b'], 'a page of them')
      t.same(await ids({ offset: 5 }), ['u|z', 'v'], 'offset without limit')
      t.same(await ids({ limit: 2 }), ['u10|a', 'u1|a'], 'limit without offset')
      t.same(await ids({ offset: 7 }), [], 'past the end')
      t.same(await ids({ prefix: 'w' }), [], 'no match')
      t.equal(await store.count('grant'), 7)
      t.equal(await store.count('grant', 'u1|'), 3)
      t.equal(await store.count('grant', 'nope'), 0)
      t.equal(await store.count('client'), 0)
    })

    t.test('ids sort by code point, as UTF-8 bytes do', async (t) => {
      const { store } = await open(t)
      const ordered = ['A', 'Z', 'a', 'z', 'é', '\uFB01', '\u{1F600}']
      for (const id of [...ordered].reverse()) await store.set('client', id, { id })
      t.same((await store.list<{ id: string }>('client')).map((v) => v.id), ordered)
      t.same((await store.list<{ id: string }>('client', { prefix: '\u{1F600}' })).map((v) => v.id), ['\u{1F600}'])
    })

    t.test('list and count skip expired entries', timed, async (t) => {
      const { store, clock } = await open(t)
      await store.set('session', 'a', { id: 'a' }, 5)
      await store.set('session', 'b', { id: 'b' })
      await store.set('session', 'c', { id: 'c' }, 50)
      clock.advance(6_000)
      t.equal(await store.count('session'), 2)
      t.same((await store.list<{ id: string }>('session', { limit: 1 })).map((v) => v.id), ['b'], 'pages count live entries only')
    })

    t.test('ping answers while open', async (t) => {
      const { store } = await open(t)
      await t.resolves(store.ping())
      t.type(store.description, 'string')
      t.notMatch(store.description, /:(?!\*\*\*@)[^:@/]+@/, 'the description never holds a password (*** stands in for it)')
    })

    t.test('close', async (t) => {
      const { store } = await open(t)
      await store.set('client', 'c1', { id: 'c1' })
      await t.resolves(store.close())
      await t.rejects(store.get('client', 'c1'), CLOSED)
      await t.rejects(store.set('client', 'c2', {}), CLOSED)
      await t.rejects(store.consume('client', 'c1'), CLOSED)
      await t.rejects(store.delete('client', 'c1'), CLOSED)
      await t.rejects(store.list('client'), CLOSED)
      await t.rejects(store.add('client', 'c3', {}), CLOSED)
      await t.rejects(store.count('client'), CLOSED)
      await t.rejects(store.ping(), CLOSED)
      await t.resolves(store.close(), 'closing twice is not an error')
    })
  })
}
