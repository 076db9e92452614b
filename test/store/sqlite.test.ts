import t from 'tap'
import Database from 'better-sqlite3'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import { StoreError } from '../../src/store/errors.js'
import { openStore } from '../../src/store/index.js'
import { SQLITE_MIGRATIONS, openSqliteStore } from '../../src/store/sqlite.js'
import type { SqlStore, SqlStoreOptions } from '../../src/store/sqlite.js'
import { SWEEP_BATCH } from '../../src/store/sweeper.js'
import { createFakeClock, storeContract } from './contract.js'
import type { FakeClock } from './contract.js'

const LATEST = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]!.version

// The contract wants an empty store per subtest: one new file each.
const contractDir = t.testdir()
let files = 0
const nextFile = (): string => join(contractDir, `contract-${++files}.db`)
storeContract(t, 'openSqliteStore', (clock) => openSqliteStore(`sqlite:${nextFile()}`, { clock }))
storeContract(t, 'openStore("sqlite:…")', (clock) => openStore(`sqlite:${nextFile()}`, { clock }))

async function open(
  t: Test,
  path = join(t.testdir(), 'gatehouse.db'),
  opts: SqlStoreOptions = {},
): Promise<{ store: SqlStore; clock: FakeClock; path: string }> {
  const clock = createFakeClock()
  const store = await openSqliteStore(`sqlite:${path}`, { clock, ...opts })
  t.teardown(() => store.close())
  return { store, clock, path }
}

/** A second, plain connection to the file, closed on teardown. */
function raw(t: Test, path: string): Database.Database {
  const db = new Database(path)
  t.teardown(() => db.close())
  return db
}

const rowCount = (db: Database.Database): number =>
  db.prepare('SELECT count(*) FROM gatehouse_entries').pluck().get() as number

t.test('the file is in WAL mode and records its schema version', async (t) => {
  const { store, path } = await open(t)
  t.equal(store.description, `sqlite:${path}`)
  const db = raw(t, path)
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  t.equal(db.pragma('user_version', { simple: true }), LATEST)
  t.equal(LATEST, 2)
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'gatehouse_entries_expiry'").pluck().all()
  t.same(indexes, ['gatehouse_entries_expiry'])
})

t.test('the database file and its WAL are private to the owner', async (t) => {
  const { store, path } = await open(t)
  await store.set('signing_key', 'k', { private: true })
  t.equal(statSync(path).mode & 0o777, 0o600)
  t.equal(statSync(`${path}-wal`).mode & 0o777, 0o600)
})

t.test('missing parent folders are created', async (t) => {
  const dir = t.testdir()
  const path = join(dir, 'a', 'b', 'c', 'gatehouse.db')
  const { store } = await open(t, path)
  await store.set('client', 'c1', { ok: true })
  t.ok(statSync(join(dir, 'a', 'b', 'c')).isDirectory())
  t.ok(statSync(path).isFile())
})

t.test('a version-1 database is upgraded in place and keeps its rows', async (t) => {
  const path = join(t.testdir(), 'old.db')
  const old = new Database(path)
  for (const statement of SQLITE_MIGRATIONS[0]!.statements) old.exec(statement)
  const insert = old.prepare('INSERT INTO gatehouse_entries (kind, id, value, expires_at) VALUES (?, ?, ?, ?)')
  const clock = createFakeClock()
  insert.run('client', 'c1', JSON.stringify({ name: 'kept' }), null)
  insert.run('session', 's1', JSON.stringify({ sub: 'u1' }), clock.now() + 60_000)
  insert.run('code', 'gone', JSON.stringify({ sub: 'u2' }), clock.now() - 1)
  old.pragma('user_version = 1')
  old.close()

  const store = await openSqliteStore(`sqlite:${path}`, { clock })
  t.teardown(() => store.close())
  t.same(await store.get('client', 'c1'), { name: 'kept' })
  t.same(await store.get('session', 's1'), { sub: 'u1' })
  t.equal(await store.get('code', 'gone'), undefined, 'an expired row stays expired')

  const db = raw(t, path)
  t.equal(db.pragma('user_version', { simple: true }), LATEST)
  const index = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'gatehouse_entries_expiry'").pluck().get()
  t.equal(index, SQLITE_MIGRATIONS[1]!.statements[0])
  t.equal(rowCount(db), 3)
  t.equal(await store.sweep(), 1)
})

t.test('a database written by a newer Gatehouse is refused and left alone', async (t) => {
  const path = join(t.testdir(), 'newer.db')
  const newer = new Database(path)
  newer.exec('CREATE TABLE future (x)')
  newer.pragma('user_version = 99')
  newer.close()

  await t.rejects(openSqliteStore(`sqlite:${path}`), {
    name: 'StoreError',
    message: `sqlite:${path}: written by a newer Gatehouse (schema version 99, this one knows up to ${LATEST}); upgrade Gatehouse or use another database`,
  })
  await t.rejects(openStore(`sqlite:${path}`), StoreError, 'openStore too')
  const db = raw(t, path)
  t.equal(db.pragma('user_version', { simple: true }), 99)
  t.same(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(), ['future'])
})

t.test('a path that cannot hold a database file is a StoreError naming it', async (t) => {
  const dir = t.testdir({ 'a-file': 'not a folder' })
  const file = join(dir, 'a-file')

  // a folder is needed where a regular file is
  const under = join(file, 'gatehouse.db')
  await t.rejects(openSqliteStore(`sqlite:${under}`), {
    name: 'StoreError',
    message: `sqlite:${under}: cannot open the database file (${file} exists but is not a directory)`,
  })

  // deeper: mkdir itself fails
  const deeper = join(file, 'sub', 'gatehouse.db')
  const err = await openSqliteStore(`sqlite:${deeper}`).then(
    () => undefined,
    (e: unknown) => e,
  )
  t.type(err, StoreError)
  t.match((err as Error).message, new RegExp(`^sqlite:${escape(deeper)}: cannot open the database file \\(ENOTDIR: not a directory, mkdir '${escape(join(file, 'sub'))}'\\)$`))

  // the path is a folder
  await t.rejects(openSqliteStore(`sqlite:${dir}`), {
    name: 'StoreError',
    message: new RegExp(`^sqlite:${escape(dir)}: cannot open the database file \\((EISDIR: illegal operation on a directory|unable to open database file)`),
  })

  // a file that is not a database
  await t.rejects(openSqliteStore(`sqlite:${file}`), {
    name: 'StoreError',
    message: `sqlite:${file}: cannot use the database (file is not a database)`,
  })
  t.notOk(existsSync(join(file + '-wal')), 'no WAL file next to the foreign file')
})

t.test('data survives close and reopen', async (t) => {
  const path = join(t.testdir(), 'gatehouse.db')
  const clock = createFakeClock()
  const first = await openSqliteStore(`sqlite:${path}`, { clock })
  await first.set('client', 'c1', { name: 'one' })
  await first.set('session', 's1', { sub: 'u1' }, 60)
  await first.set('code', 'consumed', { sub: 'u1' }, 60)
  await first.consume('code', 'consumed')
  await first.close()

  clock.advance(30_000)
  const second = await openSqliteStore(`sqlite:${path}`, { clock })
  t.teardown(() => second.close())
  t.same(await second.get('client', 'c1'), { name: 'one' })
  t.same(await second.get('session', 's1'), { sub: 'u1' }, 'the ttl counts on across restarts')
  t.equal(await second.get('code', 'consumed'), undefined)
  clock.advance(30_000)
  t.equal(await second.get('session', 's1'), undefined)
})

t.test('two stores on one file share their entries', async (t) => {
  const path = join(t.testdir(), 'shared.db')
  const a = (await open(t, path)).store
  const b = (await open(t, path)).store

  await a.set('client', 'from-a', { by: 'a' })
  await b.set('client', 'from-b', { by: 'b' })
  t.same(await b.get('client', 'from-a'), { by: 'a' })
  t.same(await a.list('client'), [{ by: 'a' }, { by: 'b' }])
  await b.delete('client', 'from-a')
  t.equal(await a.get('client', 'from-a'), undefined)

  await a.set('code', 'race', { sub: 'u1' }, 60)
  const results = await Promise.all(
    Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).consume<{ sub: string }>('code', 'race')),
  )
  t.same(
    results.filter((r) => r !== undefined),
    [{ sub: 'u1' }],
    'exactly one consume wins',
  )

  const added = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).add('signing_key', 'k', { i })))
  t.equal(added.filter(Boolean).length, 1, 'exactly one add wins')
  t.same(await b.get('signing_key', 'k'), { i: added.indexOf(true) })
})

t.test('sweep deletes 100,000 expired entries', async (t) => {
  const { store, clock, path } = await open(t)
  const db = raw(t, path)
  const insert = db.prepare('INSERT INTO gatehouse_entries (kind, id, value, expires_at) VALUES (?, ?, ?, ?)')
  const expiresAt = clock.now() + 1_000 // a 1-second ttl, as set(kind, id, value, 1) writes it
  db.transaction(() => {
    for (let i = 0; i < 100_000; i++) insert.run('code', `c${i}`, '{"sub":"u"}', expiresAt)
  })()
  await store.set('client', 'kept', { ok: true })
  await store.set('code', 'through-the-api', { sub: 'u' }, 1)
  t.equal(await store.count('code'), 100_001)
  t.equal(await store.sweep(), 0, 'nothing has expired yet')

  clock.advance(1_000)
  t.equal(await store.count('code'), 0, 'expired entries no longer count')
  t.equal(await store.sweep(), 100_001)
  t.equal(rowCount(db), 1)
  t.same(await store.get('client', 'kept'), { ok: true })
  t.equal(await store.sweep(), 0)
})

t.test('the timer sweeps on its own', async (t) => {
  const errors: unknown[] = []
  const { store, clock, path } = await open(t, undefined, { sweepIntervalMs: 5, onBackgroundError: (err) => errors.push(err) })
  const db = raw(t, path)
  await store.set('interaction', 'i1', {}, 1)
  await store.set('interaction', 'i2', {}, 2)
  clock.advance(1_000)
  for (let i = 0; i < 400 && rowCount(db) > 1; i++) await sleep(5)
  t.equal(rowCount(db), 1, 'the expired entry is gone without a call to sweep()')
  t.same(await store.list('interaction'), [{}])
  t.same(errors, [])
})

t.test('closing stops the timer and waits for a sweep under way', async (t) => {
  const { store, clock, path } = await open(t)
  const db = raw(t, path)
  db.transaction(() => {
    const insert = db.prepare('INSERT INTO gatehouse_entries (kind, id, value, expires_at) VALUES (?, ?, ?, ?)')
    for (let i = 0; i < 5 * SWEEP_BATCH; i++) insert.run('code', `c${i}`, '1', clock.now())
  })()
  const sweeping = store.sweep()
  await store.close()
  t.equal(await sweeping, SWEEP_BATCH, 'the batch under way finished, no further one started')
  t.equal(rowCount(db), 4 * SWEEP_BATCH)
  await t.rejects(store.sweep(), { message: 'store is closed' })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
