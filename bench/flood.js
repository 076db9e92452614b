// @ts-check
// Hostile-load benchmarks of the built server: a flood of anonymous /authorize requests with
// parameters near their length limits (memory must stay bounded, and a login page opened before
// the flood must still work afterwards), then one refresh token used thousands of times (the
// cost per refresh must stay flat). Prints only. With `--store URL` (repeatable, or a comma list;
// what `npm run bench -- --store ...` passes here) both run on each store, each started empty.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { HOST, rssMb, runMain, sleep, startServer, stopServer } from './server.js'
import { median } from './stats.js'
import { benchStores, parseStoreArgs, redact } from './stores.js'

const autocannon = createRequire(import.meta.url)('autocannon')

const FLOOD_SECONDS = Number(process.env.FLOOD_SECONDS ?? 60)
const REFRESHES = Number(process.env.REFRESHES ?? 6000)
const RSS_TARGET_MB = 150
const SETTLE_SECONDS = 10
const CALLBACK = 'http://localhost:3000/callback'
const USER = { username: 'flood', password: 'flood-password' }

const config = {
  clients: [
    {
      client_id: 'flood-spa',
      name: 'Flood SPA',
      app_type: 'spa',
      callbacks: [CALLBACK],
      grant_types: ['implicit', 'authorization_code', 'refresh_token', 'password'],
      token_endpoint_auth_method: 'none',
      refresh_token: { rotation_type: 'rotating' }
    }
  ],
  users: [{ user_id: 'auth0|flood', username: USER.username, email: 'flood@example.com', password: USER.password }],
  // the refresh part signs in thousands of times through the password grant
  attack_protection: { brute_force_protection: { enabled: false } }
}

const near = (/** @type {number} */ n, /** @type {string} */ c) => c.repeat(n - 8)

/** An anonymous authorize request whose free-text parameters are near the 2048-character limit. */
const floodBody = new URLSearchParams({
  client_id: 'flood-spa',
  redirect_uri: CALLBACK,
  response_type: 'id_token token',
  scope: 'openid profile email',
  state: near(2048, 's'),
  nonce: near(2048, 'n'),
  login_hint: near(2048, 'l'),
  ui_locales: near(2048, 'u'),
  acr_values: near(2048, 'a'),
  display: near(2048, 'd'),
  id_token_hint: near(2048, 'h'),
  max_age: '3600',
  prompt: 'login',
  audience: '',
  response_mode: 'fragment'
}).toString()

/** Opens a login page as a browser would and returns what submitting it needs. */
async function openLoginPage(/** @type {string} */ base) {
  const query = new URLSearchParams({
    client_id: 'flood-spa', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 's-1'
  })
  const start = await fetch(`${base}/authorize?${query}`, { redirect: 'manual' })
  const loginUrl = new URL(String(start.headers.get('location')), base)
  const page = await fetch(loginUrl, { redirect: 'manual' })
  const html = await page.text()
  const csrf = /name="csrf" value="([^"]*)"/.exec(html)?.[1] ?? ''
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  return { loginUrl, status: page.status, csrf, cookies }
}

/** Submits that login page and follows Gatehouse's redirects to the app's callback. */
async function submitLogin(/** @type {string} */ base, /** @type {Awaited<ReturnType<typeof openLoginPage>>} */ page) {
  let res = await fetch(page.loginUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: page.cookies, origin: base, 'sec-fetch-site': 'same-origin' },
    body: new URLSearchParams({ username: USER.username, password: USER.password, csrf: page.csrf })
  })
  const session = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  for (let hops = 0; hops < 5 && res.status === 303; hops++) {
    const location = new URL(String(res.headers.get('location')), base)
    if (location.href.startsWith(CALLBACK)) return location.hash.includes('id_token=') ? 'tokens at the callback' : location.hash
    res = await fetch(location, { redirect: 'manual', headers: { cookie: `${page.cookies}; ${session}` } })
  }
  return `stopped at ${res.status}`
}

async function flood(/** @type {number} */ port) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `http://${HOST}:${port}`,
        connections: 20,
        duration: FLOOD_SECONDS,
        requests: [{ method: 'POST', path: '/authorize', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: floodBody }]
      },
      (/** @type {Error | null} */ error, /** @type {any} */ result) => (error ? reject(error) : resolve(result))
    )
  })
}

async function refreshMany(/** @type {string} */ base) {
  const post = async (/** @type {Record<string, string>} */ params) => {
    const res = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params)
    })
    if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`)
    return /** @type {Record<string, string>} */ (await res.json())
  }
  let token = (await post({ grant_type: 'password', client_id: 'flood-spa', username: USER.username, password: USER.password, scope: 'openid offline_access' })).refresh_token
  if (!token) throw new Error('the password grant gave no refresh token')
  /** @type {number[]} */
  const ms = []
  for (let i = 0; i < REFRESHES; i++) {
    const t0 = performance.now()
    token = (await post({ grant_type: 'refresh_token', client_id: 'flood-spa', refresh_token: token })).refresh_token
    ms.push(performance.now() - t0)
  }
  return ms
}

/** @param {string} store */
async function floodStore(store) {
  const tmp = await mkdtemp(path.join(tmpdir(), 'gatehouse-flood-'))
  const configFile = path.join(tmp, 'gatehouse.json')
  await writeFile(configFile, JSON.stringify(config))
  try {
    const { server } = await startServer({ configFile, keysDir: path.join(tmp, 'keys'), store })
    const base = `http://${HOST}:${server.port}`
    try {
      const before = await rssMb(server.child.pid)
      const page = await openLoginPage(base)
      console.log(`login page opened before the flood: ${page.status}`)
      const result = /** @type {any} */ (await flood(server.port))
      const after = await rssMb(server.child.pid)
      const peak = await rssMb(server.child.pid, 'VmHWM')
      // what the flood leaves behind, once V8 has had a few idle seconds to collect its garbage
      await sleep(SETTLE_SECONDS * 1000)
      const settled = await rssMb(server.child.pid)
      const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => `${code}: ${/** @type {any} */ (s).count}`).join(', ')
      console.log(`flood: ${result.requests.total} POST /authorize of ${floodBody.length} bytes in ${FLOOD_SECONDS} s (${Math.round(result.requests.average)}/s; ${statuses}; errors ${result.errors})`)
      console.log(
        `RSS: before ${before.toFixed(1)} MB, at the end ${after.toFixed(1)} MB, peak ${peak.toFixed(1)} MB, ` +
          `${SETTLE_SECONDS} s later ${settled.toFixed(1)} MB (target: left under ${RSS_TARGET_MB} MB) ${settled < RSS_TARGET_MB ? 'ok' : 'MISSED'}`,
      )
      console.log(`the login page opened before the flood, submitted now: ${await submitLogin(base, page)}`)
      console.log(`a login page opened after the flood, submitted: ${await submitLogin(base, await openLoginPage(base))}`)

      const rssBefore = await rssMb(server.child.pid)
      const ms = await refreshMany(base)
      const first = ms.slice(0, 500)
      const last = ms.slice(-500)
      console.log(`refresh: ${REFRESHES} rotations of one token: median of the first 500 ${median(first).toFixed(2)} ms, of the last 500 ${median(last).toFixed(2)} ms; RSS ${rssBefore.toFixed(1)} → ${(await rssMb(server.child.pid)).toFixed(1)} MB`)
    } finally {
      await stopServer(server)
    }
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

async function main() {
  const urls = parseStoreArgs(process.argv.slice(2))
  if (!urls) return floodStore('memory:')
  const stores = benchStores(urls)
  for (const store of stores) await store.check()
  for (const store of stores) {
    console.log(`\n${store.label}: ${redact(store.url)}`)
    await store.prepare()
    try {
      await floodStore(store.url)
    } finally {
      await store.cleanup()
    }
  }
}

runMain(main)
