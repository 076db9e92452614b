// api.cache's store in Gatehouse: one per trigger, expiring by the server clock, bounded.
import t from 'tap'
import { createActionCaches, MAX_CACHE_ENTRIES } from '../../src/actions/cache.js'
import { decodeJwt } from 'jose'
import { actionServer, passwordGrant, postLogin } from './helpers.js'

t.test('one cache per trigger; expired entries are gone', async (t) => {
  const caches = createActionCaches()
  caches.write('post-login', 'k', { value: 'v', expires_at: 2000 }, 1000)
  t.same(caches.snapshot('post-login', 1000), { k: { value: 'v', expires_at: 2000 } })
  t.same(caches.snapshot('credentials-exchange', 1000), {})
  t.same(caches.snapshot('post-login', 2000), {})
  caches.write('post-login', 'k', { value: 'v', expires_at: 5000 }, 1000)
  caches.write('post-login', 'k', undefined, 1000)
  t.same(caches.snapshot('post-login', 1000), {}, 'deleted')
})

t.test('past its size, the entry that expires first makes room', async (t) => {
  const caches = createActionCaches()
  for (let i = 0; i < MAX_CACHE_ENTRIES; i++) caches.write('post-login', `k${i}`, { value: String(i), expires_at: 10_000 + i }, 0)
  caches.write('post-login', 'new', { value: 'n', expires_at: 50_000 }, 0)
  const kept = caches.snapshot('post-login', 0)
  t.equal(Object.keys(kept).length, MAX_CACHE_ENTRIES)
  t.notOk('k0' in kept)
  t.ok('k1' in kept && 'new' in kept)
})

t.test("the test controls' reset empties api.cache", async (t) => {
  const { app } = await actionServer(t, [postLogin('cache', 'cache-counter.js')], { testControls: true })
  const countNow = async () => {
    const res = await app.inject(passwordGrant())
    t.equal(res.statusCode, 200, res.body)
    return (decodeJwt(res.json().id_token)['https://gatehouse.test/cache'] as { count: number }).count
  }
  t.equal(await countNow(), 1)
  t.equal(await countNow(), 2)
  const reset = await app.inject({ method: 'POST', url: '/_gatehouse/reset', headers: { 'content-type': 'application/json' }, payload: '{}' })
  t.equal(reset.statusCode, 200, reset.body)
  t.equal(await countNow(), 1, 'the count starts over')
})
