// /.well-known/jwks.json: public signing keys only.
import t from 'tap'
import type { JWK } from 'jose'
import { buildTestServer } from '../helpers/server.js'

const { app } = await buildTestServer(t)
const res = await app.inject({ url: '/.well-known/jwks.json' })
const { keys } = res.json<{ keys: JWK[] }>()

t.test('a JSON key set', async (t) => {
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.strictSame(Object.keys(res.json()), ['keys'])
  t.strictSame(keys.map((k) => k.alg).sort(), ['ES256', 'ES256', 'RS256', 'RS256'], 'the current and the next key of each algorithm')
})

t.test('each key has kid, alg and use "sig", and nothing private', async (t) => {
  for (const key of keys) {
    t.type(key.kid, 'string')
    t.ok(key.kid!.length > 0)
    t.equal(key.use, 'sig')
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']) t.notOk(member in key, `${key.alg} has no ${member}`)
  }
  t.equal(new Set(keys.map((k) => k.kid)).size, keys.length, 'kids are unique')
  const rsa = keys.find((k) => k.alg === 'RS256')!
  t.strictSame(Object.keys(rsa).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use'])
  t.equal(rsa.kty, 'RSA')
  const ec = keys.find((k) => k.alg === 'ES256')!
  t.strictSame(Object.keys(ec).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
  t.equal(ec.kty, 'EC')
  t.equal(ec.crv, 'P-256')
})

t.test('the same keys after a restart', async (t) => {
  const { app: again } = await buildTestServer(t)
  t.strictSame((await again.inject({ url: '/.well-known/jwks.json' })).json(), res.json())
})
