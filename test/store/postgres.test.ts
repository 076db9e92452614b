import t from 'tap'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'
import { StoreError, StoreUnavailableError } from '../../src/store/errors.js'
import { openStore } from '../../src/store/index.js'
import { POSTGRES_MIGRATIONS, openPostgresStore, poolSettings } from '../../src/store/postgres.js'
import type { SqlStore, SqlStoreOptions } from '../../src/store/sqlite.js'
import { freshPostgres, postgresServer } from '../helpers/postgres.js'
import { startTcpProxy } from '../helpers/tcp-proxy.js'
import { createFakeClock, storeContract } from './contract.js'
import type { FakeClock } from './contract.js'

const LATEST = POSTGRES_MIGRATIONS[POSTGRES_MIGRATIONS.length - 1]!.version

/** The URL as an error message must show it, written out by hand: the password replaced by ***. */
function masked(url: string): string {
  const u = new URL(url)
  return `${u.protocol}//${u.username}:***@${u.host}${u.pathname}${u.search}`
}

function withQuery(url: string, query: string): string {
  const u = new URL(url)
  u.search = query
  return u.toString()
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

async function open(t: Test, url: string, opts: SqlStoreOptions = {}): Promise<{ store: SqlStore; clock: FakeClock }> {
  const clock = createFakeClock()
  const store = await openPostgresStore(url, { clock, ...opts })
  t.teardown(() => store.close())
  return { store, clock }
}

/** One connection to the test database, for looking behind the store; closed on teardown. */
async function raw(t: Test, url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  t.teardown(() => client.end())
  return client
}

// One database for the whole contract; each subtest gets the table emptied (faster than a database each).
t.test('PostgreSQL store contract, on one database emptied for each subtest', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const db = await raw(t, url)
  const emptied = async <S>(store: S): Promise<S> => {
    await db.query('DELETE FROM gatehouse_entries')
    return store
  }
  await storeContract(t, 'openPostgresStore', async (clock) => emptied(await openPostgresStore(url, { clock })))
  await storeContract(t, 'openStore("postgres://…")', async (clock) => emptied(await openStore(url, { clock })))
})

t.test('the schema version is recorded in gatehouse_meta; ids and kinds compare as bytes', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  await open(t, url)
  const db = await raw(t, url)
  t.same((await db.query('SELECT key, value FROM gatehouse_meta')).rows, [{ key: 'schema_version', value: String(LATEST) }])
  t.equal(LATEST, 2)
  const indexes = await db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'gatehouse_entries' ORDER BY indexname")
  t.same(
    indexes.rows.map((r: { indexname: string }) => r.indexname),
    ['gatehouse_entries_expiry', 'gatehouse_entries_pkey'],
  )
  const columns = await db.query(
    "SELECT column_name, collation_name FROM information_schema.columns WHERE table_name = 'gatehouse_entries' AND collation_name IS NOT NULL ORDER BY column_name",
  )
  t.same(columns.rows, [
    { column_name: 'id', collation_name: 'C' },
    { column_name: 'kind', collation_name: 'C' },
  ])
})

t.test('a version-1 database is upgraded in place and keeps its rows', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const clock = createFakeClock()
  const db = await raw(t, url)
  await db.query('CREATE TABLE gatehouse_meta (key text PRIMARY KEY, value text NOT NULL)')
  await db.query("INSERT INTO gatehouse_meta (key, value) VALUES ('schema_version', '1')")
  for (const statement of POSTGRES_MIGRATIONS[0]!.statements) await db.query(statement)
  const insert = 'INSERT INTO gatehouse_entries (kind, id, value, expires_at) VALUES ($1, $2, $3, $4)'
  await db.query(insert, ['client', 'c1', JSON.stringify({ name: 'kept' }), null])
  await db.query(insert, ['session', 's1', JSON.stringify({ sub: 'u1' }), clock.now() + 60_000])
  await db.query(insert, ['code', 'gone', JSON.stringify({ sub: 'u2' }), clock.now() - 1])

  const store = await openPostgresStore(url, { clock })
  t.teardown(() => store.close())
  t.same(await store.get('client', 'c1'), { name: 'kept' })
  t.same(await store.get('session', 's1'), { sub: 'u1' })
  t.equal(await store.get('code', 'gone'), undefined, 'an expired row stays expired')

  t.same((await db.query('SELECT key, value FROM gatehouse_meta')).rows, [{ key: 'schema_version', value: String(LATEST) }])
  const index = await db.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'gatehouse_entries_expiry'")
  t.same(index.rows, [
    {
      indexdef:
        'CREATE INDEX gatehouse_entries_expiry ON public.gatehouse_entries USING btree (expires_at) WHERE (expires_at IS NOT NULL)',
    },
  ])
  t.same((await db.query('SELECT count(*)::int AS n FROM gatehouse_entries')).rows, [{ n: 3 }])
  t.equal(await store.sweep(), 1)
})

t.test('a database written by a newer Gatehouse is refused and left alone', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const db = await raw(t, url)
  await db.query('CREATE TABLE gatehouse_meta (key text PRIMARY KEY, value text NOT NULL)')
  await db.query("INSERT INTO gatehouse_meta (key, value) VALUES ('schema_version', '99')")

  await t.rejects(openPostgresStore(url), {
    name: 'StoreError',
    message: `${masked(url)}: written by a newer Gatehouse (schema version 99, this one knows up to ${LATEST}); upgrade Gatehouse or use another database`,
  })
  await t.rejects(openStore(url), StoreError, 'openStore too')
  t.same((await db.query('SELECT value FROM gatehouse_meta')).rows, [{ value: '99' }])
  t.same((await db.query("SELECT to_regclass('gatehouse_entries') AS entries")).rows, [{ entries: null }], 'nothing was created')
})

t.test('eight stores opening one new database together all succeed and agree', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const clock = createFakeClock()
  const small = withQuery(url, 'pool_size=2')
  const stores = await Promise.all(Array.from({ length: 8 }, () => openPostgresStore(small, { clock })))
  t.teardown(() => Promise.all(stores.map((s) => s.close())))
  await Promise.all(stores.map((s, i) => s.set('client', `c${i}`, { by: i })))
  const expected = Array.from({ length: 8 }, (_, i) => ({ by: i }))
  for (const [i, store] of stores.entries()) t.same(await store.list('client'), expected, `store ${i} sees every write`)
  const db = await raw(t, url)
  t.same((await db.query('SELECT key, value FROM gatehouse_meta')).rows, [{ key: 'schema_version', value: String(LATEST) }])
})

t.test('two stores (two pools) on one database: consume and add have exactly one winner', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  // four connections each: eight deletes of one row at a time, without twenty connections to set up
  const { store: a } = await open(t, withQuery(url, 'pool_size=4'))
  const { store: b } = await open(t, withQuery(url, 'pool_size=4'))

  await a.set('code', 'race', { sub: 'u1' }, 60)
  const consumed = await Promise.all(
    Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).consume<{ sub: string }>('code', 'race')),
  )
  t.same(
    consumed.filter((r) => r !== undefined),
    [{ sub: 'u1' }],
  )
  t.equal(await b.get('code', 'race'), undefined)

  const added = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).add('signing_key', 'k', { i })))
  t.equal(added.filter(Boolean).length, 1)
  t.same(await b.get('signing_key', 'k'), { i: added.indexOf(true) })
})

t.test('ids order by code point even where the database collation would not', async (t) => {
  const url = await freshPostgres(t, { icuLocale: 'en-US' })
  if (!url) return
  const { store } = await open(t, url)
  const ids = ['b', 'é', 'B', '😀', 'a|x', '_', '\uE000', 'ab', 'Z', 'a']
  for (const id of ids) await store.set('client', id, id)
  t.same(await store.list('client'), ['B', 'Z', '_', 'a', 'ab', 'a|x', 'b', 'é', '\uE000', '😀'])
  t.same(await store.list('client', { prefix: 'a' }), ['a', 'ab', 'a|x'])
  t.equal(await store.count('client', 'a'), 3)
  t.same(await store.list('client', { offset: 7, limit: 2 }), ['é', '\uE000'])

  const db = await raw(t, url)
  const sorted = await db.query("SELECT id FROM gatehouse_entries ORDER BY id COLLATE \"default\"")
  t.not(sorted.rows.map((r: { id: string }) => r.id).join(), (await store.list<string>('client')).join(), 'the database itself would sort differently')
})

t.test('start errors are StoreErrors that show the URL without its password and name the cause', async (t) => {
  const secret = `pw-${randomBytes(6).toString('hex')}`

  t.test('nothing listens on the port', async (t) => {
    const url = `postgres://gatehouse:${secret}@127.0.0.1:1/gatehouse?connect_timeout=1`
    const err = await rejection(openPostgresStore(url))
    t.type(err, StoreError)
    t.match(err.message, new RegExp(`^${escape('postgres://gatehouse:***@127.0.0.1:1/gatehouse?connect_timeout=1')}: cannot use the database \\(connect ECONNREFUSED 127\\.0\\.0\\.1:1\\)$`))
    t.notOk(err.message.includes(secret))
  })

  t.test('wrong password', async (t) => {
    const admin = postgresServer(t)
    if (!admin) return
    const url = new URL(admin)
    url.password = secret
    const err = await rejection(openPostgresStore(url.toString()))
    t.type(err, StoreError)
    t.match(err.message, new RegExp(`^${escape(masked(url.toString()))}: cannot use the database \\(password authentication failed for user "${escape(url.username)}"\\)$`))
    t.notOk(err.message.includes(secret))
  })

  t.test('missing database', async (t) => {
    const admin = postgresServer(t)
    if (!admin) return
    const name = `gh_missing_${randomBytes(4).toString('hex')}`
    const url = new URL(admin)
    url.pathname = `/${name}`
    const err = await rejection(openPostgresStore(url.toString()))
    t.type(err, StoreError)
    t.match(err.message, new RegExp(`^${escape(masked(url.toString()))}: cannot use the database \\(database "${name}" does not exist\\)$`))
    // the user name may be the password; after the URL, nothing may show it
    t.notOk(err.message.slice(masked(url.toString()).length).includes(decodeURIComponent(url.password)))
  })
})

t.test('pool settings come from the URL query', async (t) => {
  t.same(poolSettings('postgres://u:p@h/db?pool_size=3&connect_timeout=2&query_timeout=7&sslmode=disable'), {
    connectionString: 'postgres://u:p@h/db?sslmode=disable',
    settings: { poolSize: 3, connectTimeout: 2, queryTimeout: 7, synchronousCommit: false },
    options: '-c synchronous_commit=off',
  })
  t.same(poolSettings('postgres://u:p@h:5433/db'), {
    connectionString: 'postgres://u:p@h:5433/db',
    settings: { poolSize: 10, connectTimeout: 5, queryTimeout: 5, synchronousCommit: false },
    options: '-c synchronous_commit=off',
  })
  t.equal(
    poolSettings('postgres://u:p@h/db?options=-c%20search_path%3Dgh&synchronous_commit=on').options,
    '-c search_path=gh -c synchronous_commit=on',
    'options in the URL are kept',
  )
  t.same(poolSettings('postgres://u:p@h/db?pool_size=100&connect_timeout=600&query_timeout=1&synchronous_commit=on').settings, {
    poolSize: 100,
    connectTimeout: 600,
    queryTimeout: 1,
    synchronousCommit: true,
  })
  t.throws(() => poolSettings('postgres://u:secret@h/db?synchronous_commit=maybe'), {
    name: 'StoreError',
    message: 'postgres://u:***@h/db?synchronous_commit=maybe: synchronous_commit must be on or off, got "maybe"',
  })

  const bad: [string, string, number][] = [
    ['pool_size', '0', 100],
    ['pool_size', 'x', 100],
    ['pool_size', '101', 100],
    ['pool_size', '1.5', 100],
    ['pool_size', '', 100],
    ['connect_timeout', '0', 600],
    ['connect_timeout', '601', 600],
    ['query_timeout', '-1', 600],
    ['query_timeout', 'x', 600],
  ]
  for (const [key, value, max] of bad) {
    const url = `postgres://u:secret@h/db?${key}=${value}`
    const refusal = {
      name: 'StoreError',
      message: `postgres://u:***@h/db?${key}=${value}: ${key} must be a whole number from 1 to ${max}, got ${JSON.stringify(value)}`,
    }
    t.throws(() => poolSettings(url), refusal, `${key}=${value}`)
    await t.rejects(openPostgresStore(url), refusal, `openPostgresStore refuses ${key}=${value} before connecting`)
  }
})

t.test('a URL that does not parse is a StoreError too', async (t) => {
  for (const url of ['postgres://u:secret@h:99999/db', 'postgres://u:secret@[::1/db']) {
    const err = await rejection(openPostgresStore(url))
    t.type(err, StoreError, url)
    t.notOk(err.message.includes('secret'))
  }
})

t.test('an outage is StoreUnavailableError while it lasts; the store recovers by itself', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const target = new URL(url)
  const proxy = await startTcpProxy(t, target.hostname, Number(target.port || 5432))
  const through = new URL(url)
  through.hostname = '127.0.0.1'
  through.port = String(proxy.port)
  through.search = 'connect_timeout=1&query_timeout=2'
  const { store } = await open(t, through.toString())
  await store.set('client', 'c1', { ok: true })
  t.same(await store.get('client', 'c1'), { ok: true })

  proxy.cut()
  const description = masked(through.toString())
  await t.rejects(store.get('client', 'c1'), { name: 'StoreUnavailableError', message: new RegExp(`^${escape(description)}: `) })
  await t.rejects(store.ping(), StoreUnavailableError)
  await t.rejects(store.set('client', 'c2', {}), StoreUnavailableError)
  await t.rejects(store.get('client', 'c1'), StoreUnavailableError, 'still down')

  proxy.restore()
  t.same(await store.get('client', 'c1'), { ok: true })
  await t.resolves(store.ping())
  await store.set('client', 'c2', { ok: 2 })
  t.same(await store.list('client'), [{ ok: true }, { ok: 2 }])
})

t.test('sweep deletes 100,000 expired entries', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const { store, clock } = await open(t, url)
  const db = await raw(t, url)
  await db.query(
    `INSERT INTO gatehouse_entries (kind, id, value, expires_at)
     SELECT 'code', 'c' || g, '{"sub":"u"}', $1::bigint FROM generate_series(1, 100000) AS g`,
    [clock.now() + 1_000],
  )
  await store.set('client', 'kept', { ok: true })
  await store.set('code', 'through-the-api', { sub: 'u' }, 1)
  t.equal(await store.count('code'), 100_001)
  t.equal(await store.sweep(), 0, 'nothing has expired yet')

  clock.advance(1_000)
  t.equal(await store.count('code'), 0)
  t.equal(await store.sweep(), 100_001)
  t.same((await db.query('SELECT kind, id FROM gatehouse_entries')).rows, [{ kind: 'client', id: 'kept' }])
  t.equal(await store.sweep(), 0)
})

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}
