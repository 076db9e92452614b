// @ts-check
// The stores a bench compares (`--store URL`, repeatable or a comma list), each started empty and
// left as it was found: a sqlite: file is deleted before and after its run; a postgres:// database
// that does not exist is created and dropped afterwards, one that exists has its Gatehouse tables
// dropped before and after.

import { readFile, rm, rmdir, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'

const requireCjs = createRequire(import.meta.url)

/** An error whose message is all the user needs (no stack). */
export const benchError = (/** @type {string} */ message) => Object.assign(new Error(message), { known: true })

export const USAGE = `usage: npm run bench -- [--store URL]...   (node bench/run.js or bench/flood.js [--store URL]...)
  --store URL   memory:, sqlite:PATH or postgres://user:pass@host:port/db; repeatable, or a comma list.
                run.js compares each with memory: (always run first); flood.js floods each.
                A sqlite: file is deleted before and after its run (a file that is not a Gatehouse
                store is refused); a missing PostgreSQL database is created and dropped afterwards,
                an existing one has its gatehouse_* tables dropped before and after.`

const URL_FORM = /^(memory:$|sqlite:.|postgres(ql)?:\/\/.)/
// where a comma list splits: before the next store URL, so commas inside a URL stay
const NEXT_URL = /,(?=memory:|sqlite:|postgres(?:ql)?:\/\/)/

/** Gatehouse's own query parameters, which the driver must not see. */
const GATEHOUSE_PARAMS = ['pool_size', 'connect_timeout', 'query_timeout']

/**
 * The store URLs in `--store` flags; undefined when none is given. Throws on anything else.
 * @param {string[]} argv
 * @returns {string[] | undefined}
 */
export function parseStoreArgs(argv) {
  /** @type {string[]} */
  const stores = []
  let given = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    let value
    if (arg === '--store') value = argv[++i]
    else if (arg.startsWith('--store=')) value = arg.slice('--store='.length)
    else if (arg === '-h' || arg === '--help') throw Object.assign(new Error(USAGE), { help: true })
    else throw benchError(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`)
    if (value === undefined || value === '') throw benchError(`--store needs a URL\n${USAGE}`)
    given = true
    for (const url of value.split(NEXT_URL)) {
      if (!URL_FORM.test(url)) throw benchError(`--store ${JSON.stringify(redact(url))}: must be memory:, sqlite:PATH or postgres://user:pass@host:port/db`)
      if (!stores.includes(url)) stores.push(url)
    }
  }
  return given ? stores : undefined
}


/** The URL as it may be printed: without its password. */
export function redact(/** @type {string} */ url) {
  if (!/^postgres(ql)?:/.test(url)) return url
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@')
  }
}

export function adapterOf(/** @type {string} */ url) {
  return url === 'memory:' ? 'memory' : url.startsWith('sqlite:') ? 'sqlite' : 'postgres'
}

/**
 * @typedef {{ url: string, label: string, adapter: 'memory' | 'sqlite' | 'postgres',
 *   check: () => Promise<void>, prepare: () => Promise<void>, cleanup: () => Promise<void> }} BenchStore
 * check: throws now, before any run, what prepare would throw later; prepare: empties it; cleanup: leaves it as found
 */

/**
 * One entry per URL, labelled by adapter (numbered when an adapter comes twice).
 * @param {string[]} urls
 * @returns {BenchStore[]}
 */
export function benchStores(urls) {
  /** @type {Record<string, number>} */
  const seen = {}
  return urls.map((url) => {
    const adapter = /** @type {'memory' | 'sqlite' | 'postgres'} */ (adapterOf(url))
    const n = (seen[adapter] = (seen[adapter] ?? 0) + 1)
    const label = n === 1 ? adapter : `${adapter} ${n}`
    if (adapter === 'sqlite') return { url: `sqlite:${path.resolve(url.slice('sqlite:'.length))}`, label, adapter, ...sqliteFile(url) }
    if (adapter === 'postgres') return { url, label, adapter, ...postgresDatabase(url) }
    const nothing = async () => {}
    return { url, label, adapter, check: nothing, prepare: nothing, cleanup: nothing }
  })
}

// ---------- sqlite: one file, deleted before and after ----------

function sqliteFile(/** @type {string} */ url) {
  const file = path.resolve(url.slice('sqlite:'.length))
  const files = [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]
  /** directories Gatehouse will create for the file, removed afterwards when empty */
  let created = /** @type {string[]} */ ([])

  const removeFiles = () => Promise.all(files.map((f) => rm(f, { force: true })))

  return {
    check: () => assertGatehouseFile(file),
    async prepare() {
      await assertGatehouseFile(file)
      await removeFiles()
      created = []
      for (let dir = path.dirname(file); !(await exists(dir)); dir = path.dirname(dir)) created.push(dir)
    },
    async cleanup() {
      await removeFiles()
      for (const dir of created) await rmdir(dir).catch(() => {})
    },
  }
}

/** Refuses to delete a file that is not a SQLite database holding only Gatehouse's tables. */
async function assertGatehouseFile(/** @type {string} */ file) {
  let info
  try {
    info = await stat(file)
  } catch {
    return
  }
  const refuse = (/** @type {string} */ why) =>
    benchError(`sqlite:${file} ${why}; the bench deletes its file before and after the run, so name a new file`)
  if (!info.isFile()) throw refuse('is not a file')
  if (info.size === 0) return
  const header = (await readFile(file)).subarray(0, 16).toString('latin1')
  if (header !== 'SQLite format 3\0') throw refuse('is not a SQLite database')
  const Database = requireCjs('better-sqlite3')
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const tables = /** @type {string[]} */ (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all())
    const others = tables.filter((t) => !t.startsWith('gatehouse_'))
    if (others.length > 0) throw refuse(`holds tables that are not Gatehouse's (${others.join(', ')})`)
  } finally {
    db.close()
  }
}

async function exists(/** @type {string} */ p) {
  return stat(p).then(
    () => true,
    () => false
  )
}

// ---------- postgres: a new database, or Gatehouse's tables dropped ----------

function postgresDatabase(/** @type {string} */ url) {
  const parsed = new URL(url)
  for (const name of GATEHOUSE_PARAMS) parsed.searchParams.delete(name)
  const database = decodeURIComponent(parsed.pathname.slice(1)) || 'postgres'
  let createdHere = false

  /** @param {string} db */
  const connect = async (db) => {
    const pg = requireCjs('pg')
    const target = new URL(parsed)
    target.pathname = `/${encodeURIComponent(db)}`
    const client = new pg.Client({ connectionString: target.toString(), connectionTimeoutMillis: 10_000 })
    await client.connect()
    return client
  }
  const quoted = `"${database.replaceAll('"', '""')}"`
  const dropTables = async () => {
    const client = await connect(database)
    try {
      await client.query('DROP TABLE IF EXISTS gatehouse_entries, gatehouse_meta')
    } finally {
      await client.end()
    }
  }
  /** runs one statement in the server's maintenance database */
  const admin = async (/** @type {string} */ sql) => {
    let client
    try {
      client = await connect('postgres')
    } catch {
      client = await connect('template1')
    }
    try {
      return await client.query(sql)
    } finally {
      await client.end()
    }
  }
  const missing = (/** @type {unknown} */ error) => /** @type {{ code?: string }} */ (error).code === '3D000'
  const failure = (/** @type {unknown} */ error) => benchError(`${redact(url)}: ${/** @type {Error} */ (error).message}`)

  return {
    async check() {
      try {
        await (await connect(database)).end()
        return
      } catch (error) {
        if (!missing(error)) throw failure(error)
      }
      let may
      try {
        may = (await admin('SELECT rolcreatedb OR rolsuper AS may FROM pg_roles WHERE rolname = current_user')).rows[0]?.may
      } catch (error) {
        throw failure(error)
      }
      if (!may) throw benchError(`${redact(url)}: the database does not exist and this role may not create it (CREATEDB)`)
    },
    async prepare() {
      try {
        await dropTables()
        createdHere = false
      } catch (error) {
        // 3D000: invalid_catalog_name, the database does not exist
        if (!missing(error)) throw failure(error)
        try {
          await admin(`CREATE DATABASE ${quoted}`)
        } catch (e) {
          throw benchError(`${redact(url)}: the database does not exist and cannot be created (${/** @type {Error} */ (e).message})`)
        }
        createdHere = true
      }
    },
    async cleanup() {
      if (!createdHere) return dropTables()
      // WITH (FORCE) (PostgreSQL 13+) ends connections a killed server may have left behind
      await admin(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`).catch(() => admin(`DROP DATABASE IF EXISTS ${quoted}`))
      createdHere = false
    },
  }
}
