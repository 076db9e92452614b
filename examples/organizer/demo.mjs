#!/usr/bin/env node
// `npm run demo`: Gatehouse with gatehouse.json, the Organizer SPA and the Appointments API, each
// in its own process; prints the link to open once all three answer. Ctrl-C (SIGINT) or SIGTERM
// stops all three.
//
// Ports: GATEHOUSE_PORT (4000), ORGANIZER_PORT (3000), ORGANIZER_API_PORT (7001). Another tenant
// file: ORGANIZER_CONFIG. When the SPA does not run on port 3000, the tenant's
// "http://localhost:3000" URLs are rewritten to the SPA's origin in a temporary copy.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readSettings } from './settings.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../..')
const cli = path.join(root, 'dist/cli.js')
/** How long the three may take to answer, and to stop before they are killed. */
const START_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000

const say = (line) => process.stdout.write(`demo: ${line}\n`)

let settings
try {
  settings = readSettings()
} catch (error) {
  process.stderr.write(`demo: ${error.message}\n`)
  process.exit(2)
}

if (!existsSync(cli)) {
  say('dist/cli.js is missing; running npm run build first')
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) {
    process.stderr.write('demo: the build failed\n')
    process.exit(1)
  }
}

const tenantFile = process.env.ORGANIZER_CONFIG ? path.resolve(process.env.ORGANIZER_CONFIG) : path.join(here, 'gatehouse.json')
let scratch
let configFile = tenantFile
if (settings.spaOrigin !== 'http://localhost:3000') {
  scratch = mkdtempSync(path.join(tmpdir(), 'organizer-demo-'))
  configFile = path.join(scratch, 'gatehouse.json')
  writeFileSync(configFile, readFileSync(tenantFile, 'utf8').replaceAll('http://localhost:3000', settings.spaOrigin))
}

// Each child gets its own process group (detached), so a Ctrl-C in the terminal reaches only this
// launcher, which then stops each child exactly once with SIGTERM.
const children = new Map()
function start(name, args) {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], detached: true })
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  child.exited.then(({ code, signal }) => {
    children.delete(name)
    if (!stopping) {
      process.stderr.write(`demo: ${name} stopped (${signal ?? `exit code ${code}`}); stopping the others\n`)
      stop(1)
    }
  })
  children.set(name, child)
}

let stopping = false
async function stop(exitCode) {
  if (stopping) return
  stopping = true
  const running = [...children.values()]
  for (const child of running) child.kill('SIGTERM')
  const force = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL')
  }, STOP_TIMEOUT_MS)
  await Promise.all(running.map((child) => child.exited))
  clearTimeout(force)
  if (scratch) rmSync(scratch, { recursive: true, force: true })
  process.exit(exitCode)
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (!stopping) say(`${signal}: stopping Gatehouse, the SPA and the API`)
    stop(0)
  })
}
// Last resort if this process dies of an error: no child outlives it.
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGKILL')
})

start('gatehouse', [cli, '--config', configFile, '--port', String(settings.gatehousePort), '--issuer', settings.issuer])
start('api', [path.join(here, 'api-server.mjs')])
start('spa', [path.join(here, 'spa-server.mjs')])

/** Resolves once the URL answers with any HTTP status. */
async function answers(url, deadline) {
  while (!stopping) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) })
      return
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${START_TIMEOUT_MS / 1000} s`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

try {
  const deadline = Date.now() + START_TIMEOUT_MS
  await Promise.all([
    answers(`${settings.issuer}.well-known/openid-configuration`, deadline),
    answers(settings.apiUrl, deadline),
    answers(`${settings.spaOrigin}/`, deadline),
  ])
} catch (error) {
  process.stderr.write(`demo: ${error.message}; stopping\n`)
  await stop(1)
}

if (!stopping) {
  process.stdout.write(`
  The Organizer demo is running:
    Gatehouse         ${settings.issuer}  (tenant ${path.relative(root, tenantFile)})
    Appointments API  ${settings.apiUrl}
    Organizer SPA     ${settings.spaOrigin}/

  Open ${settings.spaOrigin}/ and click "Sign In with Organizer" (alice / wonderland or bob / builder).
  Ctrl-C stops all three.

`)
}
