// SQLite adapter: one embedded file in WAL mode, for state that survives restarts on one machine.
//
// better-sqlite3 answers synchronously; each statement is a primary-key look-up of microseconds,
// and the sweep deletes in small batches, so the event loop is never held for long.

import type Database from 'better-sqlite3'
import { writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { systemClock, type Clock } from '../util/clock.js'
import { makeDirectory } from '../util/make-directory.js'
import { encodeEntry, isExpired, prefixEnd } from './encode.js'
import { StoreError, StoreUnavailableError, messageOf } from './errors.js'
import { migrationsAfter, type Migration } from './migrations.js'
import type { Kind, ListQuery, Store } from './store.js'
import { DEFAULT_SWEEP_INTERVAL_MS, SWEEP_BATCH, startSweeper } from './sweeper.js'

export interface SqlStoreOptions {
  clock?: Clock
  sweepIntervalMs?: number
  /** a sweep or an idle database connection failed in the background (the store carries on) */
  onBackgroundError?: (err: unknown) => void
}

export interface SqlStore extends Store {
  /** deletes expired entries now; resolves to how many */
  sweep(): Promise<number>
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE gatehouse_entries (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        value TEXT NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (kind, id)
      ) WITHOUT ROWID`,
    ],
  },
  { version: 2, statements: ['CREATE INDEX gatehouse_entries_expiry ON gatehouse_entries (expires_at) WHERE expires_at IS NOT NULL'] },
]

// SQLite's answers that mean "not now" rather than "wrong": busy, disk trouble, a file made read-only.
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|PROTOCOL)/

const LIVE = '(expires_at IS NULL OR expires_at > @now)'

export async function openSqliteStore(url: string, opts: SqlStoreOptions = {}): Promise<SqlStore> {
  const path = resolve(url.slice('sqlite:'.length))
  const description = `sqlite:${path}`
  const clock = opts.clock ?? systemClock
  let db: Database.Database
  try {
    await makeDirectory(dirname(path))
    // The file holds the signing keys: private to the owner (SQLite gives its -wal file the same mode).
    await writeFile(path, '', { flag: 'a', mode: 0o600 })
    // Loaded here, not at the top: a start on another store never loads the native module.
    const { default: open } = await import('better-sqlite3')
    db = new open(path)
  } catch (err) {
    throw new StoreError(`${description}: cannot open the database file (${messageOf(err)})`, { cause: err })
  }
  try {
    db.pragma('journal_mode = WAL')
    // In WAL mode, NORMAL loses nothing when the process is killed, only on power loss.
    db.pragma('synchronous = NORMAL')
    db.pragma('busy_timeout = 5000')
    migrate(db, description)
  } catch (err) {
    db.close()
    if (err instanceof StoreError) throw err
    throw new StoreError(`${description}: cannot use the database (${messageOf(err)})`, { cause: err })
  }

  const statements = {
    get: db.prepare(`SELECT value FROM gatehouse_entries WHERE kind = @kind AND id = @id AND ${LIVE}`).pluck(),
    set: db.prepare(
      `INSERT INTO gatehouse_entries (kind, id, value, expires_at) VALUES (@kind, @id, @json, @expiresAt)
       ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    ),
    add: db.prepare(
      `INSERT INTO gatehouse_entries (kind, id, value, expires_at) VALUES (@kind, @id, @json, @expiresAt)
       ON CONFLICT (kind, id) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
       WHERE gatehouse_entries.expires_at IS NOT NULL AND gatehouse_entries.expires_at <= @now`,
    ),
    consume: db.prepare(`DELETE FROM gatehouse_entries WHERE kind = @kind AND id = @id AND ${LIVE} RETURNING value`).pluck(),
    delete: db.prepare('DELETE FROM gatehouse_entries WHERE kind = @kind AND id = @id'),
    clear: db.prepare('DELETE FROM gatehouse_entries WHERE kind = @kind'),
    list: db
      .prepare(
        `SELECT value FROM gatehouse_entries WHERE kind = @kind AND id >= @from AND id < @to AND ${LIVE}
         ORDER BY id LIMIT @limit OFFSET @offset`,
      )
      .pluck(),
    count: db
      .prepare(`SELECT count(*) FROM gatehouse_entries WHERE kind = @kind AND id >= @from AND id < @to AND ${LIVE}`)
      .pluck(),
    sweep: db.prepare(
      `DELETE FROM gatehouse_entries WHERE (kind, id) IN
       (SELECT kind, id FROM gatehouse_entries WHERE expires_at <= @now LIMIT ${SWEEP_BATCH})`,
    ),
    ping: db.prepare('SELECT 1').pluck(),
  }

  let closed = false
  /** runs one statement; "not now" errors become StoreUnavailableError */
  function run<R>(work: () => R): R {
    if (closed) throw new Error('store is closed')
    try {
      return work()
    } catch (err) {
      const code = (err as { code?: unknown }).code
      if (typeof code === 'string' && UNAVAILABLE.test(code)) {
        throw new StoreUnavailableError(`${description}: ${messageOf(err)}`, { cause: err })
      }
      throw err
    }
  }

  const sweeper = startSweeper(
    () => run(() => statements.sweep.run({ now: clock.now() }).changes),
    opts.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    opts.onBackgroundError ?? (() => {}),
  )

  return {
    description,

    async get<T>(kind: Kind, id: string): Promise<T | undefined> {
      const json = run(() => statements.get.get({ kind, id, now: clock.now() })) as string | undefined
      return json === undefined ? undefined : (JSON.parse(json) as T)
    },

    async set<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<void> {
      const now = clock.now()
      const entry = encodeEntry(kind, id, value, ttlSeconds, now)
      run(() => (isExpired(entry, now) ? statements.delete.run({ kind, id }) : statements.set.run({ kind, id, ...entry })))
    },

    async add<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<boolean> {
      const now = clock.now()
      const entry = encodeEntry(kind, id, value, ttlSeconds, now)
      return run(() => statements.add.run({ kind, id, ...entry, now }).changes) === 1
    },

    async consume<T>(kind: Kind, id: string): Promise<T | undefined> {
      const json = run(() => statements.consume.get({ kind, id, now: clock.now() })) as string | undefined
      return json === undefined ? undefined : (JSON.parse(json) as T)
    },

    async delete(kind: Kind, id: string): Promise<void> {
      run(() => statements.delete.run({ kind, id }))
    },

    async clear(kind: Kind): Promise<number> {
      return run(() => statements.clear.run({ kind })).changes
    },

    async list<T>(kind: Kind, query: ListQuery = {}): Promise<T[]> {
      const prefix = query.prefix ?? ''
      const rows = run(() =>
        statements.list.all({
          kind,
          from: prefix,
          to: prefixEnd(prefix),
          now: clock.now(),
          limit: query.limit ?? -1,
          offset: query.offset ?? 0,
        }),
      ) as string[]
      return rows.map((json) => JSON.parse(json) as T)
    },

    async count(kind: Kind, prefix = ''): Promise<number> {
      return run(() => statements.count.get({ kind, from: prefix, to: prefixEnd(prefix), now: clock.now() })) as number
    },

    async ping(): Promise<void> {
      run(() => statements.ping.get())
    },

    sweep: () => sweeper.sweep(),

    async close(): Promise<void> {
      if (closed) return
      await sweeper.stop()
      closed = true
      db.close()
    },
  }
}

/** Creates or upgrades the tables; one writer at a time, so processes opening one new file agree. */
function migrate(db: Database.Database, description: string): void {
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number
    for (const migration of migrationsAfter(current, SQLITE_MIGRATIONS, description)) {
      for (const statement of migration.statements) db.exec(statement)
      db.pragma(`user_version = ${migration.version}`)
    }
  }).immediate()
}
