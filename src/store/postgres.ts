// PostgreSQL adapter: one database shared by any number of Gatehouse processes.
//
// Driver: node-postgres (pg), the most used PostgreSQL client for Node; pure JavaScript, with
// its own pool, client- and server-side timeouts, and typed errors carrying SQLSTATE codes.

import type pg from 'pg'
import { systemClock } from '../util/clock.js'
import { encodeEntry, isExpired, prefixEnd } from './encode.js'
import { StoreError, StoreUnavailableError, messageOf } from './errors.js'
import { migrationsAfter, type Migration } from './migrations.js'
import type { SqlStore, SqlStoreOptions } from './sqlite.js'
import type { Kind, ListQuery } from './store.js'
import { DEFAULT_SWEEP_INTERVAL_MS, SWEEP_BATCH, startSweeper } from './sweeper.js'
import { redactStoreUrl } from './url.js'

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    statements: [
      // "C" collation: ids compare as bytes, as in the other adapters, and prefix ranges use the index.
      `CREATE TABLE gatehouse_entries (
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        value text NOT NULL,
        expires_at bigint,
        PRIMARY KEY (kind, id)
      )`,
    ],
  },
  { version: 2, statements: ['CREATE INDEX gatehouse_entries_expiry ON gatehouse_entries (expires_at) WHERE expires_at IS NOT NULL'] },
]

/** Settings read from the URL's query; the rest of the URL goes to the driver as is. */
export interface PoolSettings {
  /** connections per process (`pool_size`, default 10) */
  poolSize: number
  /** seconds to wait for a connection (`connect_timeout`, default 5) */
  connectTimeout: number
  /** seconds a query may take (`query_timeout`, default 5); no request waits on the database longer */
  queryTimeout: number
  /**
   * `synchronous_commit` (default off): whether each write waits for PostgreSQL's disk flush. Off, a
   * crash of PostgreSQL itself (not of Gatehouse) may lose the last fraction of a second of writes,
   * and each write costs a network round trip instead of a flush: right for a mock identity provider.
   */
  synchronousCommit: boolean
}

const SETTINGS: Record<string, { key: 'poolSize' | 'connectTimeout' | 'queryTimeout'; max: number; fallback: number }> = {
  pool_size: { key: 'poolSize', max: 100, fallback: 10 },
  connect_timeout: { key: 'connectTimeout', max: 600, fallback: 5 },
  query_timeout: { key: 'queryTimeout', max: 600, fallback: 5 },
}

// Advisory lock taken while creating or upgrading the tables, so replicas starting together wait in turn.
const MIGRATION_LOCK = 0x6761_7465 // "gate"

const LIVE = '(expires_at IS NULL OR expires_at > $3)'

/** Splits Gatehouse's settings off the URL; a bad value is a StoreError naming it. */
export function poolSettings(url: string): { connectionString: string; settings: PoolSettings; options: string } {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    // the parser's error quotes the input, password included
    throw new StoreError(`${redactStoreUrl(url)}: not a valid URL`)
  }
  const settings = {} as PoolSettings
  for (const [name, { key, max, fallback }] of Object.entries(SETTINGS)) {
    const raw = parsed.searchParams.get(name)
    parsed.searchParams.delete(name)
    const value = raw === null ? fallback : Number(raw)
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new StoreError(`${redactStoreUrl(url)}: ${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`)
    }
    settings[key] = value
  }
  // Server settings go in the startup packet's options, with any the URL gives.
  const options = parsed.searchParams.get('options')
  parsed.searchParams.delete('options')
  const commit = parsed.searchParams.get('synchronous_commit') ?? 'off'
  parsed.searchParams.delete('synchronous_commit')
  if (commit !== 'on' && commit !== 'off') {
    throw new StoreError(`${redactStoreUrl(url)}: synchronous_commit must be on or off, got ${JSON.stringify(commit)}`)
  }
  settings.synchronousCommit = commit === 'on'
  const serverOptions = [options, `-c synchronous_commit=${commit}`].filter((o) => o !== null && o !== '').join(' ')
  return { connectionString: parsed.toString(), settings, options: serverOptions }
}

export async function openPostgresStore(url: string, opts: SqlStoreOptions = {}): Promise<SqlStore> {
  const description = redactStoreUrl(url)
  const clock = opts.clock ?? systemClock
  const { connectionString, settings, options } = poolSettings(url)
  // Loaded here, not at the top: a start on another store never loads the driver.
  const { default: driver } = await import('pg')
  const pool = new driver.Pool({
    connectionString,
    options,
    max: settings.poolSize,
    connectionTimeoutMillis: settings.connectTimeout * 1000,
    query_timeout: settings.queryTimeout * 1000,
    statement_timeout: settings.queryTimeout * 1000,
    idleTimeoutMillis: 30_000,
    application_name: 'gatehouse',
  })
  // An idle connection the server dropped: the pool replaces it; without a listener it would crash the process.
  pool.on('error', (err) => opts.onBackgroundError?.(err))

  try {
    await migrate(pool, description)
  } catch (err) {
    await pool.end().catch(() => {})
    if (err instanceof StoreError) throw err
    throw new StoreError(`${description}: cannot use the database (${messageOf(err)})`, { cause: err })
  }

  let closed = false
  // Named statements are parsed and planned once per connection, not at every request.
  const statementNames = new Map<string, string>()
  const nameOf = (text: string): string => {
    let name = statementNames.get(text)
    if (name === undefined) {
      name = `gatehouse_${statementNames.size + 1}`
      statementNames.set(text, name)
    }
    return name
  }
  /** runs one query; "not now" errors become StoreUnavailableError */
  async function query(text: string, values: unknown[]): Promise<pg.QueryResult> {
    if (closed) throw new Error('store is closed')
    try {
      return await pool.query({ name: nameOf(text), text, values })
    } catch (err) {
      if (isUnavailable(err)) throw new StoreUnavailableError(`${description}: ${messageOf(err)}`, { cause: err })
      throw err
    }
  }

  const sweeper = startSweeper(
    async () =>
      (
        await query(
          `DELETE FROM gatehouse_entries WHERE (kind, id) IN
           (SELECT kind, id FROM gatehouse_entries WHERE expires_at <= $1 LIMIT ${SWEEP_BATCH})`,
          [clock.now()],
        )
      ).rowCount ?? 0,
    opts.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS,
    opts.onBackgroundError ?? (() => {}),
  )

  const firstValue = <T>(result: pg.QueryResult): T | undefined =>
    result.rows.length === 0 ? undefined : (JSON.parse(result.rows[0].value) as T)

  return {
    description,

    async get<T>(kind: Kind, id: string): Promise<T | undefined> {
      return firstValue<T>(
        await query(`SELECT value FROM gatehouse_entries WHERE kind = $1 AND id = $2 AND ${LIVE}`, [kind, id, clock.now()]),
      )
    },

    async set<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<void> {
      const now = clock.now()
      const entry = encodeEntry(kind, id, value, ttlSeconds, now)
      if (isExpired(entry, now)) {
        await query('DELETE FROM gatehouse_entries WHERE kind = $1 AND id = $2', [kind, id])
        return
      }
      await query(
        `INSERT INTO gatehouse_entries (kind, id, value, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, id) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
        [kind, id, entry.json, entry.expiresAt],
      )
    },

    async add<T>(kind: Kind, id: string, value: T, ttlSeconds?: number): Promise<boolean> {
      const now = clock.now()
      const entry = encodeEntry(kind, id, value, ttlSeconds, now)
      const result = await query(
        `INSERT INTO gatehouse_entries (kind, id, value, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (kind, id) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
         WHERE gatehouse_entries.expires_at IS NOT NULL AND gatehouse_entries.expires_at <= $5`,
        [kind, id, entry.json, entry.expiresAt, now],
      )
      return result.rowCount === 1
    },

    async consume<T>(kind: Kind, id: string): Promise<T | undefined> {
      // Concurrent deletes of one row wait for each other; only the first returns it.
      return firstValue<T>(
        await query(`DELETE FROM gatehouse_entries WHERE kind = $1 AND id = $2 AND ${LIVE} RETURNING value`, [
          kind,
          id,
          clock.now(),
        ]),
      )
    },

    async delete(kind: Kind, id: string): Promise<void> {
      await query('DELETE FROM gatehouse_entries WHERE kind = $1 AND id = $2', [kind, id])
    },

    async clear(kind: Kind): Promise<number> {
      return (await query('DELETE FROM gatehouse_entries WHERE kind = $1', [kind])).rowCount ?? 0
    },

    async list<T>(kind: Kind, q: ListQuery = {}): Promise<T[]> {
      const prefix = q.prefix ?? ''
      const result = await query(
        `SELECT value FROM gatehouse_entries WHERE kind = $1 AND id >= $2 AND id < $4 AND ${LIVE}
         ORDER BY id LIMIT $5 OFFSET $6`,
        [kind, prefix, clock.now(), prefixEnd(prefix), q.limit ?? null, q.offset ?? 0],
      )
      return result.rows.map((row: { value: string }) => JSON.parse(row.value) as T)
    },

    async count(kind: Kind, prefix = ''): Promise<number> {
      const result = await query(
        `SELECT count(*)::int AS n FROM gatehouse_entries WHERE kind = $1 AND id >= $2 AND id < $4 AND ${LIVE}`,
        [kind, prefix, clock.now(), prefixEnd(prefix)],
      )
      return result.rows[0].n as number
    },

    async ping(): Promise<void> {
      await query('SELECT 1', [])
    },

    sweep: () => sweeper.sweep(),

    async close(): Promise<void> {
      if (closed) return
      await sweeper.stop()
      closed = true
      await pool.end()
    },
  }
}

/** Creates or upgrades the tables under an advisory lock, so replicas starting together agree. */
async function migrate(pool: pg.Pool, description: string): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    await client.query('CREATE TABLE IF NOT EXISTS gatehouse_meta (key text PRIMARY KEY, value text NOT NULL)')
    const found = await client.query("SELECT value FROM gatehouse_meta WHERE key = 'schema_version'")
    const current = found.rows.length === 0 ? 0 : Number(found.rows[0].value)
    for (const migration of migrationsAfter(current, POSTGRES_MIGRATIONS, description)) {
      for (const statement of migration.statements) await client.query(statement)
      await client.query(
        `INSERT INTO gatehouse_meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [String(migration.version)],
      )
    }
    await client.query('COMMIT')
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}

// SQLSTATE classes that mean "not now": connection exceptions, insufficient resources, operator
// intervention (shutdown, cancelled by statement_timeout). Errors without a SQLSTATE come from the
// connection itself (refused, reset, timed out).
function isUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return /^(08|53|57)/.test(code)
  return true
}
