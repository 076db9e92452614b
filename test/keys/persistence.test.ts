// Where the rotation state lives: files in the keys directory (memory: store) or the store (SQL), across
// restarts; replicas on one SQLite file seeing each other's rotations; keys kept from before rotation.
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, jwtVerify, type CryptoKey, type JWK } from 'jose'
import t, { type Test } from 'tap'
import type { Keystore, KeystoreOptions } from '../../src/keys/keystore.js'
import { openStore } from '../../src/store/index.js'
import type { Store } from '../../src/store/store.js'
import type { Clock } from '../../src/util/clock.js'
import { freshPostgres } from '../helpers/postgres.js'
import { createKeystoreWithMadeKeys } from '../helpers/made-keys.js'

const T0 = 1_700_000_000_000

function steppingClock(): Clock & { advance(ms: number): void } {
  let now = T0
  return { now: () => now, advance: (ms) => void (now += ms) }
}

async function keystore(t: Test, opts: KeystoreOptions): Promise<Keystore> {
  const k = await createKeystoreWithMadeKeys(opts)
  t.teardown(() => k.close())
  await k.ready()
  return k
}

async function sqlite(t: Test, file: string, clock?: Clock): Promise<Store> {
  const store = await openStore(`sqlite:${file}`, { clock })
  t.teardown(() => store.close())
  return store
}

/** What a restart must find again: the published keys, the roles and times, the signers. */
const snapshot = (k: Keystore) => ({
  jwks: k.jwks(),
  generations: k.generations(),
  rs256: k.keyRing('RS256').current.kid,
  es256: k.keyRing('ES256').current.kid,
  previous: k.keyRing('RS256').previous?.kid,
})

/** Rotates twice and revokes the previous key: every role is in use. */
async function exercise(k: Keystore, clock: ReturnType<typeof steppingClock>) {
  clock.advance(1000)
  await k.rotate()
  clock.advance(1000)
  await k.rotate()
  clock.advance(1000)
  await k.rotate()
  clock.advance(1000)
  await k.revoke(k.keyRing('RS256').previous!.kid)
  clock.advance(1000)
  await k.rotate()
}

async function until(t: Test, what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) {
      t.fail(`${what}: not within ${ms} ms`)
      return
    }
    await sleep(20)
  }
  t.pass(what)
}

t.test('memory: the rotation state is in the keys directory and survives a restart', async (t) => {
  const dir = t.testdir()
  const clock = steppingClock()
  const first = await keystore(t, { dir, clock })
  await exercise(first, clock)
  t.strictSame(first.generations().map((g) => g.role), ['current', 'next', 'previous', 'revoked', 'revoked', 'revoked'])
  await first.close()

  const again = await keystore(t, { dir, clock })
  t.strictSame(snapshot(again), snapshot(first), 'the same keys, roles and times after a restart')
  const files = await readdir(dir)
  t.equal(files.filter((f) => f.startsWith('signing-keys.')).length, 7, 'one file per version of the state')
  t.equal(files.filter((f) => f.endsWith('.private.jwk.json')).length, 12, 'the keys of six generations')
})

t.test('sqlite: the rotation state is in the store, the keys directory is not used', async (t) => {
  const dir = join(t.testdir(), 'unused')
  const file = join(t.testdir(), 'gatehouse.db')
  const clock = steppingClock()
  const store = await sqlite(t, file)
  const first = await keystore(t, { dir, store, clock })
  await exercise(first, clock)
  await first.close()
  await store.close()

  const reopened = await sqlite(t, file)
  const again = await keystore(t, { dir, store: reopened, clock })
  t.strictSame(snapshot(again), snapshot(first), 'the same keys, roles and times after a restart')
  await t.rejects(readdir(dir), { code: 'ENOENT' }, 'no keys directory was made')
  t.equal(await reopened.count('signing_key_state'), 7, 'one entry per version of the state')
  t.equal(await reopened.count('signing_key'), 12, 'the keys of six generations')
})

/** Two keystores on one database, each on a connection of its own: what one changes, the other follows. */
async function replicasFollowEachOther(t: Test, url: string) {
  const dir = t.testdir()
  const open = async () => {
    const store = await openStore(url)
    t.teardown(() => store.close())
    return keystore(t, { dir, store })
  }
  const [a, b] = await Promise.all([open(), open()])
  t.strictSame(b.jwks(), a.jwks(), 'one set of keys')

  const before = a.keyRing('RS256').current.kid
  await a.rotate()
  await until(t, 'B signs with the key A made current', () => b.signingKey('RS256').kid === a.signingKey('RS256').kid)
  t.strictSame(b.jwks(), a.jwks(), 'and publishes what A publishes')
  t.equal(b.keyRing('RS256').previous?.kid, before)

  await b.revoke(before)
  await until(t, 'A drops the key B revoked', () => a.jwks().keys.every((k) => k.kid !== before))
  t.strictSame(a.generations(), b.generations())

  // Two rotations at once, one on each replica: both happen, one after the other.
  const version = () => a.generations().find((g) => g.role === 'current')!.kids.RS256
  const start = version()
  await Promise.all([a.rotate(), b.rotate()])
  await until(t, 'both replicas agree after simultaneous rotations', () => JSON.stringify(a.generations()) === JSON.stringify(b.generations()))
  t.not(version(), start)
  t.strictSame(a.generations().map((g) => g.role), ['current', 'next', 'previous', 'revoked', 'revoked'], 'two rotations, not one')
}

t.test('two replicas on one SQLite file see each other’s rotations and revocations', async (t) => {
  await replicasFollowEachOther(t, `sqlite:${join(t.testdir(), 'shared.db')}`)
})

t.test('two replicas on one PostgreSQL database see each other’s rotations and revocations', async (t) => {
  const url = await freshPostgres(t)
  if (url !== undefined) await replicasFollowEachOther(t, url)
})

t.test('signing and verifying never read the store; the watch does, on its own timer', async (t) => {
  const file = join(t.testdir(), 'counted.db')
  const store = await sqlite(t, file)
  const calls: string[] = []
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        calls.push(String(name))
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  const k = await keystore(t, { dir: t.testdir(), store: counted, watchIntervalMs: 60 * 60 * 1000 })
  calls.length = 0
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: k.signingKey('RS256').kid }).sign(k.signingKey('RS256').privateKey)
  for (let i = 0; i < 50; i++) {
    k.signingKey('ES256')
    k.keyRing('RS256')
    k.jwks()
    await jwtVerify(token, k.verifier)
  }
  t.strictSame(calls, [], 'no store call')
})

/** The files a keys directory held before rotation: one private JWK per algorithm. */
async function legacyKeys(): Promise<{ files: Record<string, string>; rs256: JWK; token: string }> {
  const rs = await generateKeyPair('RS256', { extractable: true })
  const es = await generateKeyPair('ES256', { extractable: true })
  const rs256 = { ...(await exportJWK(rs.privateKey)), alg: 'RS256' }
  const es256 = { ...(await exportJWK(es.privateKey)), alg: 'ES256' }
  const kid = await calculateJwkThumbprint(rs256)
  const signer = (await importJWK(rs256, 'RS256')) as CryptoKey
  const token = await new SignJWT({ sub: 'before-the-upgrade' }).setProtectedHeader({ alg: 'RS256', kid }).sign(signer)
  return { files: { 'rs256.private.jwk.json': JSON.stringify(rs256), 'es256.private.jwk.json': JSON.stringify(es256) }, rs256, token }
}

t.test('a keys directory from before rotation: its keys become current, and tokens they signed keep verifying', async (t) => {
  const { files, rs256, token } = await legacyKeys()
  const dir = t.testdir(files)
  const clock = steppingClock()
  const k = await keystore(t, { dir, clock })
  t.equal(k.signingKey('RS256').kid, await calculateJwkThumbprint(rs256))
  t.equal((await jwtVerify(token, k.verifier)).payload.sub, 'before-the-upgrade', 'verifies after the upgrade')
  await k.rotate()
  t.equal((await jwtVerify(token, k.verifier)).payload.sub, 'before-the-upgrade', 'and after a rotation: its key is the previous one')
  await k.revoke(k.keyRing('RS256').previous!.kid)
  await t.rejects(jwtVerify(token, k.verifier), { code: 'ERR_JWKS_NO_MATCHING_KEY' }, 'not after the revocation')

  await k.close()
  const again = await keystore(t, { dir, clock })
  t.strictSame(snapshot(again), snapshot(k), 'a restart keeps the rotation, whatever the old files hold')
})

t.test('a store from before rotation: its keys become current', async (t) => {
  const { files, rs256, token } = await legacyKeys()
  const store = await sqlite(t, join(t.testdir(), 'old.db'))
  await store.set('signing_key', 'RS256', files['rs256.private.jwk.json'])
  await store.set('signing_key', 'ES256', files['es256.private.jwk.json'])
  const [a, b] = await Promise.all([keystore(t, { dir: t.testdir(), store }), keystore(t, { dir: t.testdir(), store })])
  const kid = await calculateJwkThumbprint(rs256)
  t.equal(a.signingKey('RS256').kid, kid)
  t.strictSame(b.jwks(), a.jwks(), 'replicas upgrading together agree')
  t.equal((await jwtVerify(token, b.verifier)).payload.sub, 'before-the-upgrade')
  t.equal(await store.get('signing_key', kid), files['rs256.private.jwk.json'], 'the key is kept under its kid too')
  t.equal(await store.get('signing_key', 'RS256'), files['rs256.private.jwk.json'], 'the old entry is left as it was')
})
