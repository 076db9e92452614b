// Refreshing one login many times costs the same each time: nothing stored grows with the family's age.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Kind, MemoryStore } from '../../src/store/index.js'
import { buildServerWithStore } from '../helpers/server.js'
import { tenantWithClient } from '../helpers/tenant.js'
import { organizerTokens, postToken, refreshGrant } from '../helpers/tokens.js'

const KINDS: Kind[] = ['refresh_token', 'token_family', 'revoked', 'code', 'session', 'grant']

async function storedCharacters(store: MemoryStore): Promise<{ total: number; largest: number }> {
  let total = 0
  let largest = 0
  for (const kind of KINDS) {
    for (const value of await store.list(kind)) {
      const size = JSON.stringify(value).length
      total += size
      largest = Math.max(largest, size)
    }
  }
  return { total, largest }
}

for (const rotation_type of ['rotating', 'non-rotating'] as const) {
  t.test(`${rotation_type}: every refresh adds the same amount of state`, async (t) => {
    const tenant = tenantWithClient('organizer', { refresh_token: { rotation_type } })
    const { app, store } = await buildServerWithStore(t, { tenant })
    let token = (await organizerTokens(app, { scope: 'openid offline_access' })).refresh_token!
    const refreshTimes = async (app: FastifyInstance, n: number) => {
      for (let i = 0; i < n; i++) {
        const res = await postToken(app, refreshGrant(token))
        t.equal(res.statusCode, 200)
        if (rotation_type === 'rotating') token = res.json().refresh_token
      }
    }
    await refreshTimes(app, 5)
    const a = await storedCharacters(store)
    await refreshTimes(app, 10)
    const b = await storedCharacters(store)
    await refreshTimes(app, 200)
    const c = await storedCharacters(store)
    await refreshTimes(app, 10)
    const d = await storedCharacters(store)
    t.equal(d.total - c.total, b.total - a.total, 'ten refreshes late in the family store what ten early ones did')
    t.equal(d.largest, a.largest, 'no stored value grows with the family (each refresh rewrites only small entries)')
  })
}
