// @ts-check
// Gatehouse benchmark: cold start, idle memory, jose's RS256 signing rate on this machine, and
// throughput of the hot endpoints of the built server (dist/). Prints only; writes nothing in the repo.
// With `--store URL` (repeatable, or a comma list) it runs the same on each store next to memory:
// and prints one side-by-side table; stores.js says how each store is started empty and left clean.

import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createRequire } from 'node:module'
import { SignJWT, createLocalJWKSet, generateKeyPair, jwtVerify } from 'jose'
import { cpuBusy, HOST, rssMb, sleep, startServer, stopServer } from './server.js'
import { median } from './stats.js'
import { benchStores, parseStoreArgs, redact } from './stores.js'

// autocannon ships no types
const autocannon = createRequire(import.meta.url)('autocannon')

/** @typedef {import('./server.js').Server} Server */

const COLD_STARTS = 5
const SIGN_SECONDS = 2
const CONNECTIONS = 10
const WARMUP_SECONDS = 2
const RUN_SECONDS = 10

const TARGETS = { authorizeVsSign: 0.4, clientCredentialsVsSign: 0.7, coldStartMs: 400 }
/** share of memory:'s req/s each SQL adapter must reach on these scenarios */
const STORE_TARGETS = { sqlite: 0.8, postgres: 0.6 }
const STORE_TARGET_ROWS = ['silent', 'cc', 'code']

const SPA = { client_id: 'bench-spa', callback: 'http://localhost:3000/callback' }
const M2M = { client_id: 'bench-m2m', client_secret: 'bench-m2m-secret-0123456789' }
const API = 'https://api.bench.test/'
const USER = { username: 'bench', password: 'bench-password' }

/** @param {boolean} withM2m */
function benchConfig(withM2m) {
  /** @type {Record<string, any>} */
  const config = {
    clients: [
      {
        client_id: SPA.client_id,
        name: 'Bench SPA',
        app_type: 'spa',
        callbacks: [SPA.callback],
        web_origins: ['http://localhost:3000'],
        grant_types: ['implicit', 'authorization_code', 'refresh_token'],
        is_first_party: true,
        token_endpoint_auth_method: 'none'
      }
    ],
    resource_servers: [
      { identifier: API, name: 'Bench API', signing_alg: 'RS256', scopes: [{ value: 'read:items', description: 'Read items' }] }
    ],
    users: [
      {
        user_id: 'auth0|bench',
        username: USER.username,
        email: 'bench@example.com',
        email_verified: true,
        password: USER.password,
        name: 'Bench User'
      }
    ]
  }
  if (withM2m) {
    config.clients.push({
      client_id: M2M.client_id,
      name: 'Bench M2M',
      app_type: 'non_interactive',
      token_endpoint_auth_method: 'client_secret_post',
      client_secret: M2M.client_secret,
      grant_types: ['client_credentials']
    })
    config.client_grants = [{ client_id: M2M.client_id, audience: API, scope: ['read:items'] }]
  }
  return config
}

// ---------- small helpers ----------

const b64url = (/** @type {Buffer} */ buf) => buf.toString('base64url')

// ---------- flows driven with fetch ----------

/** @param {Record<string, string>} query */
function authorizePath(query) {
  return `/authorize?${new URLSearchParams(query).toString().replaceAll('+', '%20')}`
}

const implicitQuery = {
  client_id: SPA.client_id,
  response_type: 'id_token token',
  scope: 'openid profile read:items',
  audience: API,
  nonce: 'n',
  state: 's',
  redirect_uri: SPA.callback
}

/** Signs in through the login page and returns the session cookie ("name=value"). */
async function logIn(/** @type {string} */ base) {
  const step = (/** @type {string} */ url, /** @type {RequestInit} */ init = {}) =>
    fetch(new URL(url, base), { redirect: 'manual', ...init })
  const start = await step(authorizePath(implicitQuery))
  const loginUrl = start.headers.get('location') ?? ''
  if (start.status !== 303 || !/^\/login\/[^/]+$/.test(loginUrl)) {
    throw new Error(`GET /authorize without a session: expected 303 to /login/:uid, got ${start.status} ${loginUrl}`)
  }
  const page = await step(loginUrl)
  const html = await page.text()
  const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1]
  if (page.status !== 200 || !csrf) throw new Error(`GET ${loginUrl}: expected 200 with a csrf input, got ${page.status}`)
  // the form is bound to the browser the page was shown to, by the cookie the page set
  const browser = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const posted = await step(loginUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser },
    body: new URLSearchParams({ username: USER.username, password: USER.password, csrf }).toString()
  })
  const cookie = posted.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('gatehouse_session='))
  if (posted.status !== 303 || !cookie) {
    throw new Error(`POST ${loginUrl}: expected 303 with a gatehouse_session cookie, got ${posted.status}`)
  }
  const resumed = await step(posted.headers.get('location') ?? '', { headers: { cookie } })
  if (resumed.status !== 303 || !(resumed.headers.get('location') ?? '').startsWith(`${SPA.callback}#`)) {
    throw new Error(`resuming after login: expected 303 to the callback, got ${resumed.status} ${resumed.headers.get('location')}`)
  }
  return cookie
}

/** @typedef {{ issuer: string, jwks: ReturnType<typeof createLocalJWKSet> }} Verifier */

async function verifyAccessToken(/** @type {Verifier} */ v, /** @type {string | undefined} */ token) {
  if (!token) throw new Error('no access_token')
  const { payload } = await jwtVerify(token, v.jwks, { issuer: v.issuer, audience: API })
  if (!String(payload.scope ?? '').split(' ').includes('read:items')) throw new Error(`access token scope: ${payload.scope}`)
  return payload
}

async function verifyIdToken(/** @type {Verifier} */ v, /** @type {string | undefined} */ token) {
  if (!token) throw new Error('no id_token')
  const { payload } = await jwtVerify(token, v.jwks, { issuer: v.issuer, audience: SPA.client_id })
  if (payload.nonce !== 'n') throw new Error(`id token nonce: ${payload.nonce}`)
  return payload
}

/** One silent authorize by hand: 303 to the callback with both tokens in the fragment, both valid. */
async function checkSilentAuthorize(/** @type {string} */ base, /** @type {string} */ cookie, /** @type {Verifier} */ v) {
  const res = await fetch(new URL(authorizePath({ ...implicitQuery, prompt: 'none' }), base), { redirect: 'manual', headers: { cookie } })
  const location = res.headers.get('location') ?? ''
  if (res.status !== 303 || !location.startsWith(`${SPA.callback}#access_token=`)) {
    throw new Error(`expected 303 to ${SPA.callback}#access_token=..., got ${res.status} ${location.slice(0, 200)}`)
  }
  const fragment = new URLSearchParams(new URL(location).hash.slice(1))
  if (fragment.get('state') !== 's') throw new Error('state not returned')
  await verifyAccessToken(v, fragment.get('access_token') ?? undefined)
  await verifyIdToken(v, fragment.get('id_token') ?? undefined)
}

function pkcePair() {
  const verifier = b64url(randomBytes(32))
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) }
}

const codeQuery = (/** @type {string} */ challenge, /** @type {string} */ state) => ({
  client_id: SPA.client_id,
  response_type: 'code',
  scope: 'openid profile read:items',
  audience: API,
  nonce: 'n',
  state,
  prompt: 'none',
  redirect_uri: SPA.callback,
  code_challenge: challenge,
  code_challenge_method: 'S256'
})

const form = (/** @type {Record<string, string>} */ fields) => new URLSearchParams(fields).toString()
const clientCredentialsBody = form({
  grant_type: 'client_credentials',
  client_id: M2M.client_id,
  client_secret: M2M.client_secret,
  audience: API
})
const codeExchangeBody = (/** @type {{ code: string, verifier: string }} */ pair) =>
  form({ grant_type: 'authorization_code', client_id: SPA.client_id, code: pair.code, redirect_uri: SPA.callback, code_verifier: pair.verifier })

async function postToken(/** @type {string} */ url, /** @type {string} */ body) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
  const text = await res.text()
  /** @type {Record<string, any>} */
  let json = {}
  try {
    json = JSON.parse(text)
  } catch {
    // reported below
  }
  return { status: res.status, json, text, cacheControl: res.headers.get('cache-control') }
}

/** RFC 6749 §5.1 success response, with tokens that verify. */
async function checkTokenResponse(
  /** @type {Awaited<ReturnType<typeof postToken>>} */ r,
  /** @type {Verifier} */ v,
  /** @type {boolean} */ expectIdToken
) {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status} ${r.text.slice(0, 200)}`)
  if (String(r.json.token_type).toLowerCase() !== 'bearer') throw new Error(`token_type: ${r.json.token_type}`)
  if (typeof r.json.expires_in !== 'number') throw new Error(`expires_in: ${r.json.expires_in}`)
  await verifyAccessToken(v, r.json.access_token)
  if (expectIdToken) await verifyIdToken(v, r.json.id_token)
  const notes = []
  if (!/no-store/.test(r.cacheControl ?? '')) notes.push('no Cache-Control: no-store (RFC 6749 §5.1)')
  return notes
}

// ---------- autocannon ----------

/**
 * @typedef {{ name: string, key?: string, rps?: number, p99?: number, total?: number, ok: boolean, note: string }} Row
 * @typedef {(status: number, body: string, headers: Record<string, any>) => boolean} Check
 */

/** Warm-up then measured run; every response must pass `check`, or the row fails. */
async function load(
  /** @type {string} */ name,
  /** @type {number} */ port,
  /** @type {Record<string, any>} */ request,
  /** @type {Check} */ check,
  /** @type {{ amount?: number, warmupAmount?: number, warmup?: boolean, note?: string }} */ opts = {}
) {
  const run = async (/** @type {{ duration?: number, amount?: number }} */ size) => {
    let good = 0
    let bad = 0
    let sample = ''
    const t0 = performance.now()
    let tLast = t0
    const result = await autocannon({
      url: `http://${HOST}:${port}`,
      connections: CONNECTIONS,
      excludeErrorStats: false,
      ...size,
      requests: [
        {
          ...request,
          onResponse: (/** @type {number} */ status, /** @type {string} */ body, /** @type {any} */ _ctx, /** @type {Record<string, any>} */ headers) => {
            tLast = performance.now()
            if (check(status, body, headers)) good++
            else if (bad++ === 0) sample = `${status} ${headerOf(headers, 'location') ?? ''} ${body}`.slice(0, 200)
          }
        }
      ]
    })
    return { result, good, bad, sample, seconds: (tLast - t0) / 1000 }
  }
  if (opts.warmup !== false) await run(opts.warmupAmount ? { amount: opts.warmupAmount } : { duration: WARMUP_SECONDS })
  const { result, good, bad, sample, seconds } = await run(opts.amount ? { amount: opts.amount } : { duration: RUN_SECONDS })
  const problems = []
  if (bad > 0) problems.push(`${bad} bad responses, first: ${sample}`)
  if (result.errors > 0) problems.push(`${result.errors} connection errors`)
  if (result.timeouts > 0) problems.push(`${result.timeouts} timeouts`)
  if (good === 0) problems.push('no successful responses')
  /** @type {Row} */
  const row = {
    name,
    // autocannon notices that an `amount` run is done only on its 1 s tick, so time those here
    rps: opts.amount ? (good + bad) / seconds : result.requests.average,
    p99: result.latency.p99,
    total: result.requests.total,
    ok: problems.length === 0,
    note: [opts.amount ? `${seconds.toFixed(2)} s` : '', opts.note ?? '', ...problems].filter(Boolean).join('; ')
  }
  return row
}

function headerOf(/** @type {Record<string, any>} */ headers, /** @type {string} */ name) {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return String(value)
  return undefined
}


// ---------- signing rate ----------

async function signatureRate() {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048 })
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    iss: 'http://localhost:4000/',
    sub: 'auth0|bench',
    aud: [API, 'http://localhost:4000/userinfo'],
    iat: now,
    exp: now + 7200,
    scope: 'openid profile read:items',
    jti: b64url(randomBytes(16)),
    client_id: SPA.client_id,
    azp: SPA.client_id
  }
  const sign = () => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'bench', typ: 'at+jwt' }).sign(privateKey)
  for (let i = 0; i < 50; i++) await sign()
  let n = 0
  const t0 = performance.now()
  while (performance.now() - t0 < SIGN_SECONDS * 1000) {
    await sign()
    n++
  }
  return n / ((performance.now() - t0) / 1000)
}

// ---------- one store ----------

/** servers running now, stopped by cleanup() */
const running = /** @type {Set<Server>} */ (new Set())
/** @type {(() => Promise<void>)[]} */
const pendingCleanups = []

async function cleanup() {
  for (const server of running) await stopServer(server).catch(() => {})
  running.clear()
  while (pendingCleanups.length > 0) {
    await pendingCleanups
      .pop()?.()
      .catch((/** @type {Error} */ error) => console.error(`bench: cleanup: ${error.message}`))
  }
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(130))
  })
}

/**
 * @typedef {{ rows: Row[], failures: string[], skipped: string[], coldMs: number[], keygenMs: number,
 *   idleRss: number, loadedRss: number, peakRss: number, silentRps: number, ccRps: number }} StoreResult
 * @typedef {StoreResult & { server: Server, port: number, base: string, withM2m: boolean, discovery: Record<string, any>,
 *   discoveryText: string, jwksText: string, verifier: Verifier, cookie: string, silentOk: boolean }} Bench
 */

/**
 * The first start on an empty store (keys, and for a SQL store its tables), the cold starts, then
 * the server the loads run against, idle, with a signed-in session.
 * @param {string} storeUrl
 * @returns {Promise<Bench>}
 */
async function startBench(storeUrl) {
  /** @type {string[]} */
  const failures = []
  /** @type {string[]} */
  const skipped = []

  const tmp = await mkdtemp(path.join(tmpdir(), 'gatehouse-bench-'))
  pendingCleanups.push(() => rm(tmp, { recursive: true, force: true }))
  const configFile = path.join(tmp, 'gatehouse.json')
  const keysDir = path.join(tmp, 'keys')
  const start = async () => {
    const started = await startServer({ configFile, keysDir, store: storeUrl })
    running.add(started.server)
    return started
  }
  const stop = async (/** @type {Server} */ server) => {
    const stopped = await stopServer(server)
    running.delete(server)
    return stopped
  }

  // One throwaway start generates the keys, so no measured start pays for RSA key generation.
  let withM2m = true
  await writeFile(configFile, JSON.stringify(benchConfig(true), null, 2))
  let first
  try {
    first = await start()
  } catch (error) {
    const e = /** @type {Error & { exitCode?: number, output?: string }} */ (error)
    if (e.exitCode !== 2) throw error
    // a config the server rejects: drop the client_credentials parts and go on without them
    withM2m = false
    skipped.push(`client_credentials: skipped: the config was rejected with them (${e.output})`)
    await writeFile(configFile, JSON.stringify(benchConfig(false), null, 2))
    first = await start()
  }
  const keygenMs = first.ms
  const firstStop = await stop(first.server)
  if (firstStop.code !== 0) failures.push(`first start: exit code ${firstStop.code} after SIGTERM ${firstStop.error ?? ''}`)

  const coldMs = []
  for (let i = 0; i < COLD_STARTS; i++) {
    const { server, ms } = await start()
    coldMs.push(ms)
    const stopped = await stop(server)
    if (stopped.code !== 0) failures.push(`cold start ${i + 1}: exit code ${stopped.code} after SIGTERM ${stopped.error ?? ''}`)
  }

  const { server } = await start()
  const port = server.port
  const base = `http://${HOST}:${port}`
  const discoveryText = await (await fetch(`${base}/.well-known/openid-configuration`)).text()
  const idleRss = await rssMb(server.child.pid)
  const discovery = /** @type {Record<string, any>} */ (JSON.parse(discoveryText))

  const jwksText = await (await fetch(`${base}/.well-known/jwks.json`)).text()
  const verifier = { issuer: discovery.issuer, jwks: createLocalJWKSet(JSON.parse(jwksText)) }

  // silent authorize and the codes need a real session
  let cookie = ''
  let silentOk = false
  try {
    cookie = await logIn(base)
    await checkSilentAuthorize(base, cookie, verifier)
    silentOk = true
  } catch (error) {
    failures.push(`silent authorize flow: ${/** @type {Error} */ (error).message}`)
  }

  return {
    rows: [], failures, skipped, coldMs, keygenMs, idleRss, loadedRss: 0, peakRss: 0, silentRps: 0, ccRps: 0,
    server, port, base, withM2m, discovery, discoveryText, jwksText, verifier, cookie, silentOk
  }
}

/** @param {string} key */
const keyed = (key) => (/** @type {Row} */ row) => ({ ...row, key })

/** The loads, in order; each adds its rows to the bench it is given. */
const LOADS = /** @type {((b: Bench) => Promise<void>)[]} */ ([
  async function discoveryLoad(b) {
    b.rows.push(keyed('discovery')(await load('GET /.well-known/openid-configuration', b.port, { method: 'GET', path: '/.well-known/openid-configuration' },
      (status, body) => status === 200 && body === b.discoveryText)))
  },

  async function jwksLoad(b) {
    b.rows.push(keyed('jwks')(await load('GET /.well-known/jwks.json', b.port, { method: 'GET', path: '/.well-known/jwks.json' },
      (status, body) => status === 200 && body === b.jwksText)))
  },

  async function silentAuthorizeLoad(b) {
    if (!b.silentOk) return
    const expected = `${SPA.callback}#access_token=`
    const row = keyed('silent')(await load(
      'GET /authorize prompt=none (id_token token)',
      b.port,
      { method: 'GET', path: authorizePath({ ...implicitQuery, prompt: 'none' }), headers: { cookie: b.cookie } },
      (status, _body, headers) => {
        const location = headerOf(headers, 'location') ?? ''
        return status === 303 && location.startsWith(expected) && location.includes('&id_token=')
      },
      { note: '303 + both tokens checked on every response' }
    ))
    b.rows.push(row)
    if (row.ok) b.silentRps = row.rps ?? 0
  },

  // token endpoint: RFC 6749 shapes; skipped while the server has none
  async function clientCredentialsLoad(b) {
    const { tokenUrl, tokenPath } = tokenEndpoint(b)
    const probe = await postToken(tokenUrl, b.withM2m ? clientCredentialsBody : form({ grant_type: 'client_credentials' }))
    if (probe.status === 404) {
      b.skipped.push('token endpoint: skipped: no token endpoint yet (POST /oauth/token → 404)')
      return
    }
    // without the M2M client: already listed as skipped
    if (!b.withM2m) return
    try {
      const notes = await checkTokenResponse(probe, b.verifier, false)
      const row = keyed('cc')(await load(
        `POST ${tokenPath} client_credentials`,
        b.port,
        { method: 'POST', path: tokenPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: clientCredentialsBody },
        (status, body) => status === 200 && body.includes('"access_token"'),
        { note: notes.join('; ') }
      ))
      b.rows.push(row)
      if (row.ok) b.ccRps = row.rps ?? 0
    } catch (error) {
      b.failures.push(`client_credentials flow: ${/** @type {Error} */ (error).message}`)
    }
  },

  async function codeExchangeLoad(b) {
    if (!b.silentOk) return
    const { tokenUrl, tokenPath } = tokenEndpoint(b)
    const { base, port, cookie } = b
    try {
      // one code by hand, exchanged and verified
      const pair = pkcePair()
      const res = await fetch(`${base}${authorizePath(codeQuery(pair.challenge, 'x'))}`, { redirect: 'manual', headers: { cookie } })
      const code = new URL(res.headers.get('location') ?? 'x:/').searchParams.get('code')
      if (res.status !== 303 || !code) throw new Error(`authorize response_type=code: got ${res.status} ${res.headers.get('location')}`)
      const exchanged = await postToken(tokenUrl, codeExchangeBody({ code, verifier: pair.verifier }))
      if (exchanged.status === 404) return
      const notes = await checkTokenResponse(exchanged, b.verifier, true)

      // pool: enough codes for a run of about RUN_SECONDS at the silent authorize rate (same two signatures)
      const perSecond = Math.max(b.silentRps, 100)
      const warmupAmount = Math.ceil(perSecond * WARMUP_SECONDS)
      const amount = Math.ceil(perSecond * RUN_SECONDS)
      const need = warmupAmount + amount + 4 * CONNECTIONS
      /** @type {string[]} */
      const verifiers = []
      /** @type {{ code: string, verifier: string }[]} */
      const pool = []
      const mint = keyed('mint')(await load(
        'GET /authorize prompt=none (code, PKCE) [pre-mint]',
        port,
        {
          method: 'GET',
          headers: { cookie },
          setupRequest: (/** @type {Record<string, any>} */ req) => {
            const p = pkcePair()
            verifiers.push(p.verifier)
            return { ...req, path: authorizePath(codeQuery(p.challenge, String(verifiers.length - 1))) }
          }
        },
        (status, _body, headers) => {
          if (status !== 303) return false
          const location = new URL(headerOf(headers, 'location') ?? 'x:/')
          const c = location.searchParams.get('code')
          const v = verifiers[Number(location.searchParams.get('state'))]
          if (!c || !v || !location.href.startsWith(`${SPA.callback}?`)) return false
          pool.push({ code: c, verifier: v })
          return true
        },
        { amount: need, warmup: false, note: `${need} codes, one PKCE verifier each` }
      ))
      b.rows.push(mint)
      if (!mint.ok) throw new Error(`minting codes: ${mint.note}`)
      let next = 0
      const row = keyed('code')(await load(
        `POST ${tokenPath} authorization_code (PKCE)`,
        port,
        {
          method: 'POST',
          path: tokenPath,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          // never runs dry: `need` covers both amounts plus each connection's first, eagerly built request
          setupRequest: (/** @type {Record<string, any>} */ req) => ({ ...req, body: codeExchangeBody(pool[next++ % pool.length]) })
        },
        (status, body) => status === 200 && body.includes('"access_token"') && body.includes('"id_token"'),
        { amount, warmupAmount, note: ['fresh pre-minted code per request', ...notes].join('; ') }
      ))
      if (next > pool.length) row.note += `; pool wrapped (${next} > ${pool.length})`
      b.rows.push(row)
    } catch (error) {
      b.failures.push(`authorization_code flow: ${/** @type {Error} */ (error).message}`)
    }
  }
])

function tokenEndpoint(/** @type {Bench} */ b) {
  const endpoint = b.discovery.token_endpoint
  const tokenUrl = new URL(typeof endpoint === 'string' ? new URL(endpoint).pathname : '/oauth/token', b.base).href
  return { tokenUrl, tokenPath: new URL(tokenUrl).pathname }
}

/** RSS after the loads, then the server stops. */
async function finishBench(/** @type {Bench} */ b) {
  b.loadedRss = await rssMb(b.server.child.pid)
  b.peakRss = await rssMb(b.server.child.pid, 'VmHWM')
  const stopped = await stopServer(b.server)
  running.delete(b.server)
  if (stopped.code !== 0) b.failures.push(`server under test: exit code ${stopped.code} after SIGTERM ${stopped.error ?? ''}`)
  for (const r of b.rows) if (!r.ok) b.failures.push(`${r.name}: ${r.note}`)
}

// ---------- report ----------

const fmt = (/** @type {number} */ n, digits = 0) => n.toFixed(digits)

/** @param {{ busyAtStart: number, signRate: number }} env */
function printHeader(env) {
  console.log('')
  const cores = availableParallelism()
  console.log(`Gatehouse bench: node ${process.version}, ${cores} cores, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${RUN_SECONDS} s per run`)
  console.log(`CPU busy in the second before the run: ${fmt(env.busyAtStart)} %`)
  if (env.busyAtStart > 15) console.log('WARNING: something else was using the CPU when the run started; these figures are not reliable')
}

/** Without --store: one server on memory:, every row with its check. */
function reportOne(/** @type {StoreResult} */ r, /** @type {{ busyAtStart: number, signRate: number }} */ env) {
  const nameWidth = Math.max(...r.rows.map((row) => row.name.length), 40)
  const line = (/** @type {string[]} */ cells) => cells.join('  ')
  printHeader(env)
  console.log('')
  console.log(line(['benchmark'.padEnd(nameWidth), 'req/s'.padStart(8), 'p99 ms'.padStart(7), 'requests'.padStart(9), 'check']))
  for (const row of r.rows) {
    console.log(line([
      row.name.padEnd(nameWidth),
      fmt(row.rps ?? 0).padStart(8),
      fmt(row.p99 ?? 0).padStart(7),
      String(row.total ?? 0).padStart(9),
      `${row.ok ? 'ok' : 'FAILED'}${row.note ? ` (${row.note})` : ''}`
    ]))
  }
  const { coldMs } = r
  const { signRate } = env
  const cores = availableParallelism()
  console.log('')
  console.log(`cold start (spawn → first 200 discovery, ${COLD_STARTS}×): median ${fmt(median(coldMs))} ms, min ${fmt(Math.min(...coldMs))} ms  [${coldMs.map((m) => fmt(m)).join(', ')}]`)
  console.log(`first start incl. key generation: ${fmt(r.keygenMs)} ms`)
  console.log(`RSS: idle ${fmt(r.idleRss, 1)} MB, after load ${fmt(r.loadedRss, 1)} MB, peak ${fmt(r.peakRss, 1)} MB`)
  console.log(`jose RS256 (2048) SignJWT, one at a time in this process: ${fmt(signRate)} signatures/s`)
  // WebCrypto signs on the libuv thread pool, so a server with concurrent requests can use several cores
  if (cores > 1) console.log(`note: the server signs on the thread pool and may use up to ${cores} cores, so ratios can pass 100 %`)
  console.log('')
  const ratio = (/** @type {string} */ label, /** @type {number} */ value, /** @type {number} */ target) =>
    console.log(`${label.padEnd(44)} ${fmt(value * 100, 1).padStart(6)} %  (target ≥ ${target * 100} %) ${value >= target ? 'met' : 'BELOW'}`)
  if (r.silentRps) ratio('silent authorize req/s ÷ signature rate', r.silentRps / signRate, TARGETS.authorizeVsSign)
  if (r.ccRps) ratio('client_credentials req/s ÷ signature rate', r.ccRps / signRate, TARGETS.clientCredentialsVsSign)
  const cold = median(coldMs)
  console.log(`${'cold start median'.padEnd(44)} ${fmt(cold).padStart(6)} ms (target < ${TARGETS.coldStartMs} ms) ${cold < TARGETS.coldStartMs ? 'met' : 'BELOW'}`)
  for (const s of r.skipped) console.log(s)
  if (r.failures.length > 0) {
    console.log('')
    for (const f of r.failures) console.log(`FLOW CHECK FAILED: ${f}`)
  }
}

const SCENARIOS = [
  ['silent', 'silent authorize (prompt=none, id_token token)'],
  ['cc', 'client_credentials'],
  ['code', 'code exchange (authorization_code + PKCE)'],
  ['mint', 'authorize code + PKCE (pre-mint)'],
  ['discovery', 'discovery'],
  ['jwks', 'JWKS']
]

/**
 * With --store: one table, a column group per store; req/s and p99 per scenario, the share of
 * memory:'s req/s with the target where the issue sets one, then RSS and start times.
 * @param {{ label: string, url: string, adapter: string, result: StoreResult }[]} runs
 * @param {{ busyAtStart: number, signRate: number }} env
 */
function reportSideBySide(runs, env) {
  const baseline = runs.find((r) => r.adapter === 'memory')?.result
  const nameWidth = Math.max(...SCENARIOS.map(([, name]) => name.length), 'first start (keys, tables) ms'.length)
  /** @type {string[][]} */
  const table = []
  const cell = (/** @type {string} */ s, /** @type {number} */ w) => s.padStart(w)
  const group = (/** @type {typeof runs[number]} */ run) => (run === runs[0] || !baseline ? [8, 7] : [8, 7, 8, 14])

  const header1 = ['scenario'.padEnd(nameWidth)]
  const header2 = [''.padEnd(nameWidth)]
  for (const run of runs) {
    const widths = group(run)
    const width = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1)
    header1.push(run.label.padEnd(width))
    header2.push(['req/s', 'p99 ms', '÷ memory', 'target'].slice(0, widths.length).map((h, i) => (i === 3 ? ` ${h}`.padEnd(widths[i]) : cell(h, widths[i]))).join('  '))
  }
  table.push(header1, header2)

  for (const [key, name] of SCENARIOS) {
    if (!runs.some((run) => run.result.rows.some((row) => row.key === key))) continue
    const cells = [name.padEnd(nameWidth)]
    const base = baseline?.rows.find((row) => row.key === key)
    for (const run of runs) {
      const widths = group(run)
      const row = run.result.rows.find((x) => x.key === key)
      const parts = [
        row ? (row.ok ? fmt(row.rps ?? 0) : 'FAILED') : '-',
        row?.ok ? fmt(row.p99 ?? 0) : '-'
      ]
      if (widths.length > 2) {
        const share = row?.ok && base?.ok && base.rps ? (row.rps ?? 0) / base.rps : undefined
        parts.push(share === undefined ? '-' : `${fmt(share * 100, 1)} %`)
        const target = STORE_TARGET_ROWS.includes(key) ? STORE_TARGETS[/** @type {'sqlite' | 'postgres'} */ (run.adapter)] : undefined
        parts.push(target === undefined || share === undefined ? '' : `≥ ${target * 100} % ${share >= target ? 'met' : 'BELOW'}`)
      }
      cells.push(parts.map((p, i) => (i === 3 ? ` ${p}`.padEnd(widths[i]) : cell(p, widths[i]))).join('  '))
    }
    table.push(cells)
  }

  /** @param {string} name @param {(r: StoreResult) => string} value */
  const resourceRow = (name, value) => {
    const cells = [name.padEnd(nameWidth)]
    for (const run of runs) {
      const widths = group(run)
      cells.push([cell(value(run.result), widths[0]), ...widths.slice(1).map((w) => ''.padEnd(w))].join('  '))
    }
    table.push(cells)
  }
  table.push([])
  resourceRow(`cold start median (${COLD_STARTS}×) ms`, (r) => fmt(median(r.coldMs)))
  resourceRow('first start (keys, tables) ms', (r) => fmt(r.keygenMs))
  resourceRow('RSS idle MB', (r) => fmt(r.idleRss, 1))
  resourceRow('RSS after load MB', (r) => fmt(r.loadedRss, 1))
  resourceRow('RSS peak MB', (r) => fmt(r.peakRss, 1))

  printHeader(env)
  console.log('')
  for (const run of runs) console.log(`${run.label.padEnd(10)} ${redact(run.url)}`)
  console.log('')
  for (const cells of table) console.log(cells.join('   ').trimEnd())
  console.log('')
  console.log(`req/s and p99 (ms) from autocannon; ÷ memory is the share of memory:'s req/s; the issue's targets: sqlite ≥ ${STORE_TARGETS.sqlite * 100} %, postgres ≥ ${STORE_TARGETS.postgres * 100} % on silent authorize, client_credentials and code exchange.`)
  console.log(`cold start: spawn → first 200 discovery; RSS of the server process only. jose RS256 (2048) here: ${fmt(env.signRate)} signatures/s.`)
  for (const run of runs) {
    for (const s of run.result.skipped) console.log(`${run.label}: ${s}`)
    for (const f of run.result.failures) console.log(`${run.label}: FLOW CHECK FAILED: ${f}`)
  }
}

// ---------- main ----------

async function main() {
  const given = process.argv.slice(2)
  let storeUrls
  try {
    storeUrls = parseStoreArgs(given)
  } catch (error) {
    const e = /** @type {Error & { help?: boolean }} */ (error)
    console[e.help ? 'log' : 'error'](e.help ? e.message : `bench: ${e.message}`)
    return e.help === true
  }
  // memory: is the baseline of every ratio, so it always runs, first
  const stores = benchStores(['memory:', ...(storeUrls ?? []).filter((u) => u !== 'memory:')])

  // a store the bench may not use is said now, not after minutes of running the others
  for (const store of stores) await store.check()

  const busyAtStart = await cpuBusy()
  // jose in this process, before any load, so nothing else competes for the core
  const signRate = await signatureRate()
  const env = { busyAtStart, signRate }

  // Every store's server is up before the first load, and each load runs on every store in turn,
  // so a change in what else the machine is doing affects all stores alike.
  const runs = []
  for (const store of stores) {
    if (storeUrls) console.error(`bench: ${store.label} (${redact(store.url)}): first start, ${COLD_STARTS} cold starts`)
    await store.prepare()
    pendingCleanups.push(store.cleanup)
    runs.push({ ...store, result: await startBench(store.url) })
  }
  for (const runLoad of LOADS) {
    for (const run of runs) {
      if (storeUrls) console.error(`bench: ${run.label}: ${runLoad.name}`)
      await runLoad(run.result)
    }
  }
  for (const run of runs) await finishBench(run.result)
  await cleanup()

  if (storeUrls) reportSideBySide(runs, env)
  else reportOne(runs[0].result, env)
  return runs.every((run) => run.result.failures.length === 0)
}

main()
  .then(async (ok) => {
    await cleanup()
    process.exit(ok ? 0 : 1)
  })
  .catch(async (error) => {
    // a server that refused to start has said why in one line; anything else gets its stack
    const known = error instanceof Error && ('exitCode' in error || 'known' in error)
    console.error(`bench: ${error instanceof Error ? (known ? error.message : error.stack ?? error.message) : String(error)}`)
    await cleanup()
    process.exit(1)
  })
