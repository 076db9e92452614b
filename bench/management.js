// @ts-check
// Management API benchmark of the built server (dist/): GET /api/v2/users pages and POST /api/v2/users with
// 10,000 users in the store, and POST /oauth/token (password grant) for a user with a role, on an API with
// RBAC on (enforce_policies, token_dialect access_token_authz) next to an API with RBAC off. Prints only.
// The users are seeded from the config file, as a CI fixture would seed them: Gatehouse writes them into
// the store at start (that start is timed). With `--store URL` (repeatable, or a comma list) the same
// runs on each store after memory:, each started empty and left clean (stores.js).

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { cpuBusy, HOST, rssMb, runMain, sleep, startServer, stopServer } from './server.js'
import { pairedShare } from './stats.js'
import { benchStores, parseStoreArgs, redact } from './stores.js'

// autocannon ships no types
const autocannon = createRequire(import.meta.url)('autocannon')

const USERS = 10_000
const PER_PAGE = 50
const CONNECTIONS = 10
const WARMUP_SECONDS = 2
const RUN_SECONDS = 10
/**
 * rounds of one RBAC off and one RBAC on run, the order flipped each round (off on, on off, …): a change
 * in what else the machine does, or a run's place in a round, then weighs on both sides alike. The
 * share is the median round's: this machine's speed drifts by a third between some runs.
 */
const TOKEN_ROUNDS = 6
/** RBAC on must reach this share of RBAC off's req/s (the issue: equal within 10 %) */
const RBAC_TARGET = 0.9

// The issuer is fixed, so that the config file can grant the Management API's audience before the port is known.
const ISSUER = 'http://gatehouse.bench/'
const MANAGEMENT_AUDIENCE = `${ISSUER}api/v2/`
const MANAGER = { client_id: 'bench-manager', client_secret: 'bench-manager-secret-0123456789' }
const APP = { client_id: 'bench-app', client_secret: 'bench-app-secret-0123456789' }
const PLAIN_API = 'https://plain.bench.test/'
const RBAC_API = 'https://rbac.bench.test/'
const ROLE = 'bench-reader'
const READER = { user_id: 'auth0|bench-reader', email: 'reader@bench.test', password: 'reader-password' }
/** asked for on both APIs; the reader is permitted read:items only */
const TOKEN_SCOPE = 'read:items write:items'

const itemScopes = [
  { value: 'read:items', description: 'Read items' },
  { value: 'write:items', description: 'Write items' }
]

function benchConfig() {
  const users = Array.from({ length: USERS }, (_, i) => {
    const n = String(i).padStart(5, '0')
    return { user_id: `auth0|seeded${n}`, email: `user${n}@bench.test`, password: `password-${n}`, name: `Seeded User ${n}` }
  })
  return {
    issuer: ISSUER,
    clients: [
      {
        ...MANAGER,
        name: 'Bench manager',
        app_type: 'non_interactive',
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['client_credentials']
      },
      {
        ...APP,
        name: 'Bench app',
        app_type: 'regular_web',
        callbacks: [],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['password']
      }
    ],
    resource_servers: [
      { identifier: PLAIN_API, name: 'Plain API', scopes: itemScopes },
      { identifier: RBAC_API, name: 'RBAC API', scopes: itemScopes, enforce_policies: true, token_dialect: 'access_token_authz' }
    ],
    client_grants: [
      {
        client_id: MANAGER.client_id,
        audience: MANAGEMENT_AUDIENCE,
        scope: ['read:users', 'create:users']
      }
    ],
    roles: [
      {
        name: ROLE,
        description: 'Reads items on both APIs',
        permissions: [PLAIN_API, RBAC_API].map((api) => ({ resource_server_identifier: api, permission_name: 'read:items' }))
      }
    ],
    users: [...users, { ...READER, name: 'Bench Reader', roles: [ROLE] }],
    // every login comes from one address at a high rate; what is measured is the grant, not the lockout
    attack_protection: { brute_force_protection: { enabled: false } }
  }
}

// ---------- small helpers ----------

const fmt = (/** @type {number} */ n, digits = 0) => n.toFixed(digits)
const form = (/** @type {Record<string, string>} */ fields) => new URLSearchParams(fields).toString()


/** The payload of a JWT, unverified: only to see which claims the server put in. */
const jwtPayload = (/** @type {string} */ jwt) => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'))

/**
 * @typedef {{ name: string, key: string, rps?: number, p99?: number, total?: number, ok: boolean, note: string }} Row
 * @typedef {(status: number, body: string) => boolean} Check
 */

/** Warm-up, then a measured run; every response must pass `check`, or the row fails. */
async function load(
  /** @type {string} */ name,
  /** @type {string} */ key,
  /** @type {number} */ port,
  /** @type {Record<string, any>} */ request,
  /** @type {Check} */ check,
  note = ''
) {
  const run = async (/** @type {number} */ duration) => {
    let bad = 0
    let sample = ''
    const result = await autocannon({
      url: `http://${HOST}:${port}`,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          ...request,
          onResponse: (/** @type {number} */ status, /** @type {string} */ body) => {
            if (!check(status, body) && bad++ === 0) sample = `${status} ${body}`.slice(0, 200)
          }
        }
      ]
    })
    return { result, bad, sample }
  }
  await run(WARMUP_SECONDS)
  const { result, bad, sample } = await run(RUN_SECONDS)
  const problems = []
  if (bad > 0) problems.push(`${bad} bad responses, first: ${sample}`)
  if (result.errors > 0) problems.push(`${result.errors} connection errors`)
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`)
  if (result.requests.total === 0) problems.push('no responses')
  /** @type {Row} */
  const row = {
    name,
    key,
    rps: result.requests.average,
    p99: result.latency.p99,
    total: result.requests.total,
    ok: problems.length === 0,
    note: [note, ...problems].filter(Boolean).join('; ')
  }
  return row
}

// ---------- one store ----------

/**
 * @typedef {{ label: string, url: string, rows: Row[], failures: string[], firstStartMs: number, idleRss: number,
 *   loadedRss: number, peakRss: number, rbacRps?: { off: number[], on: number[] } }} StoreResult
 */

/** @param {{ label: string, url: string }} store */
async function benchStore(store) {
  /** @type {StoreResult} */
  const r = { label: store.label, url: store.url, rows: [], failures: [], firstStartMs: 0, idleRss: 0, loadedRss: 0, peakRss: 0 }
  const tmp = await mkdtemp(path.join(tmpdir(), 'gatehouse-bench-management-'))
  try {
    const configFile = path.join(tmp, 'gatehouse.json')
    await writeFile(configFile, JSON.stringify(benchConfig()))
    // the first start on an empty store: keys, and the 10k users written into the store
    const { server, ms } = await startServer({ configFile, keysDir: path.join(tmp, 'keys'), store: store.url })
    r.firstStartMs = ms
    try {
      await benchServer(server, r)
      r.loadedRss = await rssMb(server.child.pid)
      r.peakRss = await rssMb(server.child.pid, 'VmHWM')
    } finally {
      const stopped = await stopServer(server)
      if (stopped.code !== 0) r.failures.push(`server under test: exit code ${stopped.code} after SIGTERM ${stopped.error ?? ''}`)
    }
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
  for (const row of r.rows) if (!row.ok) r.failures.push(`${row.name}: ${row.note}`)
  return r
}

async function postForm(/** @type {string} */ url, /** @type {Record<string, string>} */ fields) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) })
  return { status: res.status, json: /** @type {Record<string, any>} */ (await res.json().catch(() => ({}))) }
}

/** @param {import('./server.js').Server} server @param {StoreResult} r */
async function benchServer(server, r) {
  const { port } = server
  const base = `http://${HOST}:${port}`
  r.idleRss = await rssMb(server.child.pid)

  const token = await postForm(`${base}/oauth/token`, { grant_type: 'client_credentials', ...MANAGER, audience: MANAGEMENT_AUDIENCE })
  if (token.status !== 200) throw new Error(`no Management API token: ${token.status} ${JSON.stringify(token.json)}`)
  const authorization = `Bearer ${token.json.access_token}`

  // the seeded users are all there, before anything is measured
  const counted = await fetch(`${base}/api/v2/users?per_page=1&include_totals=true`, { headers: { authorization } })
  const total = (await counted.json().catch(() => ({}))).total
  if (counted.status !== 200 || total !== USERS + 1) {
    r.failures.push(`GET /api/v2/users?include_totals=true: expected total ${USERS + 1}, got ${counted.status} ${total}`)
  }

  // full pages only, so that every answer holds PER_PAGE users
  const pages = Math.floor(total / PER_PAGE)
  const listPath = (/** @type {boolean} */ totals) => () =>
    `/api/v2/users?page=${Math.floor(Math.random() * pages)}&per_page=${PER_PAGE}${totals ? '&include_totals=true' : ''}`
  // one "identities" per user (user_id also appears inside each identity)
  const fullPage = (/** @type {string} */ body) => body.split('"identities":').length - 1 === PER_PAGE
  for (const totals of [false, true]) {
    const pathOf = listPath(totals)
    r.rows.push(
      await load(
        `GET /api/v2/users?page=…&per_page=${PER_PAGE}${totals ? '&include_totals=true' : ''}`,
        totals ? 'list-totals' : 'list',
        port,
        { method: 'GET', headers: { authorization }, setupRequest: (/** @type {any} */ req) => ({ ...req, path: pathOf() }) },
        (status, body) => status === 200 && fullPage(body) && (!totals || body.includes(`"total":${total}`)),
        `random page of ${pages}; ${PER_PAGE} users in each answer checked`
      )
    )
  }

  let created = 0
  r.rows.push(
    await load(
      'POST /api/v2/users',
      'create',
      port,
      {
        method: 'POST',
        path: '/api/v2/users',
        headers: { authorization, 'content-type': 'application/json' },
        setupRequest: (/** @type {any} */ req) => {
          const n = created++
          const user = { connection: 'Username-Password-Authentication', email: `created${n}@bench.test`, password: `created-${n}` }
          return { ...req, body: JSON.stringify(user) }
        }
      },
      (status, body) => status === 201 && body.includes('"user_id":"auth0|'),
      'a new user (unique email) per request'
    )
  )

  await tokenLoads(base, port, r)
}

/** The password grant for the reader on each API: one request checked by hand, then RBAC off and on in turns. */
async function tokenLoads(/** @type {string} */ base, /** @type {number} */ port, /** @type {StoreResult} */ r) {
  const params = (/** @type {string} */ audience) => ({
    grant_type: 'password',
    ...APP,
    username: READER.email,
    password: READER.password,
    audience,
    scope: TOKEN_SCOPE
  })
  /** what the response's scope must be, and the access token's permissions claim */
  const expected = {
    [PLAIN_API]: { scope: TOKEN_SCOPE, permissions: undefined },
    [RBAC_API]: { scope: 'read:items', permissions: ['read:items'] }
  }
  for (const api of [PLAIN_API, RBAC_API]) {
    const { status, json } = await postForm(`${base}/oauth/token`, params(api))
    const claims = typeof json.access_token === 'string' ? jwtPayload(json.access_token) : {}
    const want = expected[api]
    if (status !== 200 || json.scope !== want.scope || JSON.stringify(claims.permissions) !== JSON.stringify(want.permissions)) {
      r.failures.push(
        `password grant for ${api}: expected scope "${want.scope}" and permissions ${JSON.stringify(want.permissions)}, ` +
          `got ${status} scope ${JSON.stringify(json.scope)} permissions ${JSON.stringify(claims.permissions)} ${json.error ?? ''}`
      )
    }
  }
  /** @type {{ off: number[], on: number[] }} */
  const rps = { off: [], on: [] }
  for (let round = 1; round <= TOKEN_ROUNDS; round++) {
    /** @type {['off' | 'on', string][]} */
    const sides = [['off', PLAIN_API], ['on', RBAC_API]]
    for (const [side, api] of round % 2 === 1 ? sides : sides.reverse()) {
      const scope = `"scope":"${expected[api].scope}"`
      const row = await load(
        `POST /oauth/token password, RBAC ${side} (${round})`,
        `token-${side}`,
        port,
        { method: 'POST', path: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(params(api)) },
        (status, body) => status === 200 && body.includes(scope),
        `granted scope checked on every response: ${expected[api].scope}`
      )
      r.rows.push(row)
      if (row.ok) rps[side].push(row.rps ?? 0)
    }
  }
  if (rps.off.length === TOKEN_ROUNDS && rps.on.length === TOKEN_ROUNDS) r.rbacRps = rps
}

// ---------- report ----------

/** @param {StoreResult} r */
function report(r) {
  const nameWidth = Math.max(...r.rows.map((row) => row.name.length), 44)
  const line = (/** @type {string[]} */ cells) => cells.join('  ')
  console.log('')
  console.log(`${r.label}: ${redact(r.url)}`)
  console.log(line(['benchmark'.padEnd(nameWidth), 'req/s'.padStart(8), 'p99 ms'.padStart(7), 'requests'.padStart(9), 'check']))
  for (const row of r.rows) {
    console.log(
      line([
        row.name.padEnd(nameWidth),
        fmt(row.rps ?? 0).padStart(8),
        fmt(row.p99 ?? 0).padStart(7),
        String(row.total ?? 0).padStart(9),
        `${row.ok ? 'ok' : 'FAILED'}${row.note ? ` (${row.note})` : ''}`
      ])
    )
  }
  console.log('')
  if (r.rbacRps !== undefined) {
    const { share, spread } = pairedShare(r.rbacRps.on, r.rbacRps.off)
    const met = share >= RBAC_TARGET
    const label = 'password grant: RBAC on ÷ RBAC off (median round)'.padEnd(nameWidth)
    console.log(`${label} ${fmt(share * 100, 1).padStart(6)} %  (target ≥ ${RBAC_TARGET * 100} %) ${met ? 'met' : 'BELOW'}; ${spread}`)
  }
  console.log(`first start, seeding ${USERS} users from the config file into the store: ${fmt(r.firstStartMs)} ms`)
  console.log(`RSS: idle with ${USERS} users ${fmt(r.idleRss, 1)} MB, after load ${fmt(r.loadedRss, 1)} MB, peak ${fmt(r.peakRss, 1)} MB`)
  for (const f of r.failures) console.log(`FLOW CHECK FAILED: ${f}`)
}

// ---------- main ----------

async function main() {
  const storeUrls = parseStoreArgs(process.argv.slice(2))
  // memory: always runs, first, as in run.js
  const stores = benchStores(['memory:', ...(storeUrls ?? []).filter((u) => u !== 'memory:')])
  for (const store of stores) await store.check()

  const busyAtStart = await cpuBusy()
  console.log('')
  console.log(
    `Gatehouse Management API bench: node ${process.version}, ${availableParallelism()} cores, ${CONNECTIONS} connections, ` +
      `${WARMUP_SECONDS} s warm-up + ${RUN_SECONDS} s per run, ${USERS} users in the store`
  )
  console.log(`CPU busy in the second before the run: ${fmt(busyAtStart)} %`)
  if (busyAtStart > 15) console.log('WARNING: something else was using the CPU when the run started; these figures are not reliable')

  let ok = true
  for (const store of stores) {
    await store.prepare()
    try {
      const result = await benchStore(store)
      report(result)
      ok &&= result.failures.length === 0
    } finally {
      await store.cleanup()
    }
  }
  return ok
}

runMain(main)
