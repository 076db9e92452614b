// @ts-check
// Gatehouse benchmark: cold start, idle memory, jose's RS256 signing rate on this machine, and
// throughput of the hot endpoints of the built server (dist/). Prints only; writes nothing in the repo.

import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { createRequire } from 'node:module'
import { SignJWT, createLocalJWKSet, generateKeyPair, jwtVerify } from 'jose'
import { HOST, freePort, rssMb, sleep, startServer, stopServer } from './server.js'

// autocannon ships no types
const autocannon = createRequire(import.meta.url)('autocannon')

/** @typedef {import('./server.js').Server} Server */

const COLD_STARTS = 5
const SIGN_SECONDS = 2
const CONNECTIONS = 10
const WARMUP_SECONDS = 2
const RUN_SECONDS = 10

const TARGETS = { authorizeVsSign: 0.4, clientCredentialsVsSign: 0.7, coldStartMs: 400 }

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

const median = (/** @type {number[]} */ xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}
const b64url = (/** @type {Buffer} */ buf) => buf.toString('base64url')

/** @returns {Promise<number>} */
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
 * @typedef {{ name: string, rps?: number, p99?: number, total?: number, ok: boolean, note: string }} Row
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

/** Share of all cores busy over one second, from the per-core tick counters. */
async function cpuBusy() {
  const ticks = () => cpus().reduce((acc, c) => {
    const t = c.times
    acc.total += t.user + t.nice + t.sys + t.idle + t.irq
    acc.idle += t.idle
    return acc
  }, { total: 0, idle: 0 })
  const a = ticks()
  await sleep(1000)
  const b = ticks()
  return b.total === a.total ? 0 : 100 * (1 - (b.idle - a.idle) / (b.total - a.total))
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

// ---------- main ----------

/** @type {Server | undefined} */
let running
let tmp = ''

async function cleanup() {
  if (running) await stopServer(running).catch(() => {})
  running = undefined
  if (tmp) await rm(tmp, { recursive: true, force: true })
  tmp = ''
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(130))
  })
}

async function main() {
  /** @type {Row[]} */
  const rows = []
  const failures = []
  const skipped = []
  const fmt = (/** @type {number} */ n, digits = 0) => n.toFixed(digits)

  const busyAtStart = await cpuBusy()
  tmp = await mkdtemp(path.join(tmpdir(), 'gatehouse-bench-'))
  const configFile = path.join(tmp, 'gatehouse.json')
  const keysDir = path.join(tmp, 'keys')

  // One throwaway start generates the keys, so no measured start pays for RSA key generation.
  let withM2m = true
  await writeFile(configFile, JSON.stringify(benchConfig(true), null, 2))
  let first
  try {
    first = await startServer({ configFile, keysDir })
  } catch (error) {
    const e = /** @type {Error & { exitCode?: number, output?: string }} */ (error)
    if (e.exitCode !== 2) throw error
    // a config the server rejects: drop the client_credentials parts and go on without them
    withM2m = false
    skipped.push(`client_credentials: skipped: the config was rejected with them (${e.output})`)
    await writeFile(configFile, JSON.stringify(benchConfig(false), null, 2))
    first = await startServer({ configFile, keysDir })
  }
  const keygenMs = first.ms
  const firstStop = await stopServer(first.server)
  if (firstStop.code !== 0) failures.push(`first start: exit code ${firstStop.code} after SIGTERM ${firstStop.error ?? ''}`)

  // jose in this process, before any load, so nothing else competes for the core
  const signRate = await signatureRate()

  const coldMs = []
  for (let i = 0; i < COLD_STARTS; i++) {
    const { server, ms } = await startServer({ configFile, keysDir })
    running = server
    coldMs.push(ms)
    const stopped = await stopServer(server)
    running = undefined
    if (stopped.code !== 0) failures.push(`cold start ${i + 1}: exit code ${stopped.code} after SIGTERM ${stopped.error ?? ''}`)
  }

  const { server } = await startServer({ configFile, keysDir })
  running = server
  const port = server.port
  const base = `http://${HOST}:${port}`
  const discoveryText = await (await fetch(`${base}/.well-known/openid-configuration`)).text()
  const idleRss = await rssMb(server.child.pid)
  const discovery = /** @type {Record<string, any>} */ (JSON.parse(discoveryText))

  const jwksText = await (await fetch(`${base}/.well-known/jwks.json`)).text()
  const verifier = { issuer: discovery.issuer, jwks: createLocalJWKSet(JSON.parse(jwksText)) }

  rows.push(await load('GET /.well-known/openid-configuration', port, { method: 'GET', path: '/.well-known/openid-configuration' },
    (status, body) => status === 200 && body === discoveryText))
  rows.push(await load('GET /.well-known/jwks.json', port, { method: 'GET', path: '/.well-known/jwks.json' },
    (status, body) => status === 200 && body === jwksText))

  // silent authorize with a real session
  let cookie = ''
  let silentRps = 0
  let silentOk = false
  try {
    cookie = await logIn(base)
    await checkSilentAuthorize(base, cookie, verifier)
    silentOk = true
  } catch (error) {
    failures.push(`silent authorize flow: ${/** @type {Error} */ (error).message}`)
  }
  if (silentOk) {
    const expected = `${SPA.callback}#access_token=`
    const row = await load(
      'GET /authorize prompt=none (id_token token)',
      port,
      { method: 'GET', path: authorizePath({ ...implicitQuery, prompt: 'none' }), headers: { cookie } },
      (status, _body, headers) => {
        const location = headerOf(headers, 'location') ?? ''
        return status === 303 && location.startsWith(expected) && location.includes('&id_token=')
      },
      { note: '303 + both tokens checked on every response' }
    )
    rows.push(row)
    if (row.ok) silentRps = row.rps ?? 0
  }

  // token endpoint: RFC 6749 shapes; skipped while the server has none
  let ccRps = 0
  const tokenUrl = new URL(typeof discovery.token_endpoint === 'string' ? new URL(discovery.token_endpoint).pathname : '/oauth/token', base).href
  const tokenPath = new URL(tokenUrl).pathname
  const probe = await postToken(tokenUrl, withM2m ? clientCredentialsBody : form({ grant_type: 'client_credentials' }))
  if (probe.status === 404) {
    skipped.push('token endpoint: skipped: no token endpoint yet (POST /oauth/token → 404)')
  } else {
    if (!withM2m) {
      // already listed as skipped
    } else {
      try {
        const notes = await checkTokenResponse(probe, verifier, false)
        const row = await load(
          `POST ${tokenPath} client_credentials`,
          port,
          { method: 'POST', path: tokenPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: clientCredentialsBody },
          (status, body) => status === 200 && body.includes('"access_token"'),
          { note: notes.join('; ') }
        )
        rows.push(row)
        if (row.ok) ccRps = row.rps ?? 0
      } catch (error) {
        failures.push(`client_credentials flow: ${/** @type {Error} */ (error).message}`)
      }
    }

    if (silentOk) {
      try {
        // one code by hand, exchanged and verified
        const pair = pkcePair()
        const res = await fetch(`${base}${authorizePath(codeQuery(pair.challenge, 'x'))}`, { redirect: 'manual', headers: { cookie } })
        const code = new URL(res.headers.get('location') ?? 'x:/').searchParams.get('code')
        if (res.status !== 303 || !code) throw new Error(`authorize response_type=code: got ${res.status} ${res.headers.get('location')}`)
        const notes = await checkTokenResponse(await postToken(tokenUrl, codeExchangeBody({ code, verifier: pair.verifier })), verifier, true)

        // pool: enough codes for a run of about RUN_SECONDS at the silent authorize rate (same two signatures)
        const perSecond = Math.max(silentRps, 100)
        const warmupAmount = Math.ceil(perSecond * WARMUP_SECONDS)
        const amount = Math.ceil(perSecond * RUN_SECONDS)
        const need = warmupAmount + amount + 4 * CONNECTIONS
        /** @type {string[]} */
        const verifiers = []
        /** @type {{ code: string, verifier: string }[]} */
        const pool = []
        const mint = await load(
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
        )
        rows.push(mint)
        if (!mint.ok) throw new Error(`minting codes: ${mint.note}`)
        let next = 0
        const row = await load(
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
        )
        if (next > pool.length) row.note += `; pool wrapped (${next} > ${pool.length})`
        rows.push(row)
      } catch (error) {
        failures.push(`authorization_code flow: ${/** @type {Error} */ (error).message}`)
      }
    }
  }

  const loadedRss = await rssMb(server.child.pid)
  const peakRss = await rssMb(server.child.pid, 'VmHWM')
  const stopped = await stopServer(server)
  running = undefined
  if (stopped.code !== 0) failures.push(`server under test: exit code ${stopped.code} after SIGTERM ${stopped.error ?? ''}`)

  // ---------- report ----------
  const nameWidth = Math.max(...rows.map((r) => r.name.length), 40)
  const line = (/** @type {string[]} */ cells) => cells.join('  ')
  console.log('')
  const cores = availableParallelism()
  console.log(`Gatehouse bench: node ${process.version}, ${cores} cores, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${RUN_SECONDS} s per run`)
  console.log(`CPU busy in the second before the run: ${fmt(busyAtStart)} %`)
  if (busyAtStart > 15) console.log('WARNING: something else was using the CPU when the run started; these figures are not reliable')
  console.log('')
  console.log(line(['benchmark'.padEnd(nameWidth), 'req/s'.padStart(8), 'p99 ms'.padStart(7), 'requests'.padStart(9), 'check']))
  for (const r of rows) {
    console.log(line([
      r.name.padEnd(nameWidth),
      fmt(r.rps ?? 0).padStart(8),
      fmt(r.p99 ?? 0).padStart(7),
      String(r.total ?? 0).padStart(9),
      `${r.ok ? 'ok' : 'FAILED'}${r.note ? ` (${r.note})` : ''}`
    ]))
    if (!r.ok) failures.push(`${r.name}: ${r.note}`)
  }
  console.log('')
  console.log(`cold start (spawn → first 200 discovery, ${COLD_STARTS}×): median ${fmt(median(coldMs))} ms, min ${fmt(Math.min(...coldMs))} ms  [${coldMs.map((m) => fmt(m)).join(', ')}]`)
  console.log(`first start incl. key generation: ${fmt(keygenMs)} ms`)
  console.log(`RSS: idle ${fmt(idleRss, 1)} MB, after load ${fmt(loadedRss, 1)} MB, peak ${fmt(peakRss, 1)} MB`)
  console.log(`jose RS256 (2048) SignJWT, one at a time in this process: ${fmt(signRate)} signatures/s`)
  // WebCrypto signs on the libuv thread pool, so a server with concurrent requests can use several cores
  if (cores > 1) console.log(`note: the server signs on the thread pool and may use up to ${cores} cores, so ratios can pass 100 %`)
  console.log('')
  const ratio = (/** @type {string} */ label, /** @type {number} */ value, /** @type {number} */ target) =>
    console.log(`${label.padEnd(44)} ${fmt(value * 100, 1).padStart(6)} %  (target ≥ ${target * 100} %) ${value >= target ? 'met' : 'BELOW'}`)
  if (silentRps) ratio('silent authorize req/s ÷ signature rate', silentRps / signRate, TARGETS.authorizeVsSign)
  if (ccRps) ratio('client_credentials req/s ÷ signature rate', ccRps / signRate, TARGETS.clientCredentialsVsSign)
  const cold = median(coldMs)
  console.log(`${'cold start median'.padEnd(44)} ${fmt(cold).padStart(6)} ms (target < ${TARGETS.coldStartMs} ms) ${cold < TARGETS.coldStartMs ? 'met' : 'BELOW'}`)
  for (const s of skipped) console.log(s)
  if (failures.length > 0) {
    console.log('')
    for (const f of failures) console.log(`FLOW CHECK FAILED: ${f}`)
  }
  return failures.length === 0
}

main()
  .then(async (ok) => {
    await cleanup()
    process.exit(ok ? 0 : 1)
  })
  .catch(async (error) => {
    console.error(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
    await cleanup()
    process.exit(1)
  })
