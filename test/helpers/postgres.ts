// PostgreSQL fixtures: a throw-away database per test, on the server GATEHOUSE_TEST_POSTGRES names
// (a role with CREATEDB; .ci/run creates one). Without it, the tests that need one are skipped.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Test } from 'tap'

export const POSTGRES_SKIP_REASON = 'set GATEHOUSE_TEST_POSTGRES to run the PostgreSQL tests (.ci/run does)'

/** The URL of a role that may create databases, or undefined when the PostgreSQL tests are off. */
export function postgresAdminUrl(): string | undefined {
  const url = process.env['GATEHOUSE_TEST_POSTGRES']
  return url === undefined || url.trim() === '' ? undefined : url
}

/**
 * postgresAdminUrl() for a test that needs the server but no database of its own; without one it
 * skips the test as freshPostgres does: `const admin = postgresServer(t); if (!admin) return`.
 */
export function postgresServer(t: Test): string | undefined {
  const admin = postgresAdminUrl()
  if (admin === undefined) t.plan(0, POSTGRES_SKIP_REASON)
  return admin
}

/** Runs one piece of work on a connection of its own, closed afterwards. */
export async function withPostgres<R>(url: string, work: (client: pg.Client) => Promise<R>): Promise<R> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** The same server and role, another database. */
export function postgresUrlFor(database: string, base = postgresAdminUrl()): string {
  if (base === undefined) throw new Error(POSTGRES_SKIP_REASON)
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

export interface FreshPostgresOptions {
  /** the database's default collation is this ICU locale, e.g. 'en-US', rather than the server's */
  icuLocale?: string
}

/**
 * The URL of a new, empty database, dropped when the test ends. Without GATEHOUSE_TEST_POSTGRES it
 * skips the test (a plan of 0 with the reason) and resolves undefined:
 * `const url = await freshPostgres(t); if (!url) return`. Call it before anything else in the test.
 */
export async function freshPostgres(t: Test, opts: FreshPostgresOptions = {}): Promise<string | undefined> {
  const admin = postgresServer(t)
  if (admin === undefined) return undefined
  const name = `gh_${randomBytes(8).toString('hex')}`
  const locale =
    opts.icuLocale === undefined ? '' : ` TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${opts.icuLocale.replace(/'/g, "''")}'`
  await withPostgres(admin, (client) => client.query(`CREATE DATABASE ${name}${locale}`))
  // Teardowns run last-registered first, so stores the test opens after this are closed before the drop.
  t.teardown(() => dropDatabase(admin, name))
  return postgresUrlFor(name, admin)
}

/**
 * Drops a test database. The server may refuse for a moment (an autovacuum worker on it cannot be
 * terminated by this role), so it is tried again; a database left behind is only litter on a test server.
 */
async function dropDatabase(admin: string, name: string): Promise<void> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    try {
      await withPostgres(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}
