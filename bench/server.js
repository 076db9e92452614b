// @ts-check
// Starting and stopping the built server for the benchmarks, and reading its memory.

import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import { cpus } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = path.join(ROOT, 'dist', 'cli.js')
export const HOST = '127.0.0.1'
const POLL_MS = 5

export const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms))

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, HOST, () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

/** One GET with no keep-alive; resolves with the status, or rejects on a connection error. */
export function getStatus(/** @type {number} */ port, /** @type {string} */ urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: urlPath, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', reject)
  })
}

/**
 * @typedef {{ child: import('node:child_process').ChildProcess, port: number, output: () => string,
 *   exited: Promise<{ code: number | null, signal: string | null }> }} Server
 */

/**
 * Spawns the CLI and resolves once discovery answers 200; `ms` is spawn → first 200.
 * Without `store` the server uses its default (memory:).
 */
export async function startServer(/** @type {{ configFile: string, keysDir: string, store?: string }} */ opts) {
  const port = await freePort()
  const args = [CLI, '--port', String(port), '--host', HOST, '--config', opts.configFile, '--keys-dir', opts.keysDir, '--log-level', 'warn']
  if (opts.store !== undefined) args.push('--store', opts.store)
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  child.stdout?.on('data', (d) => (text += d))
  child.stderr?.on('data', (d) => (text += d))
  /** @type {Promise<{ code: number | null, signal: string | null }>} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  let gone = /** @type {{ code: number | null } | undefined} */ (undefined)
  exited.then((e) => (gone = e))
  /** @type {Server} */
  const server = { child, port, output: () => text.trim(), exited }
  for (;;) {
    if (gone) {
      const error = new Error(`server exited with code ${gone.code} before answering: ${text.trim() || '(no output)'}`)
      Object.assign(error, { exitCode: gone.code, output: text.trim() })
      throw error
    }
    if (performance.now() - t0 > 20_000) {
      child.kill('SIGKILL')
      throw new Error(`server did not answer within 20 s: ${text.trim()}`)
    }
    try {
      if ((await getStatus(port, '/.well-known/openid-configuration')) === 200) {
        return { server, ms: performance.now() - t0 }
      }
    } catch {
      // not listening yet
    }
    await sleep(POLL_MS)
  }
}

/**
 * SIGTERM and wait; the exit code, or an explanation when it did not exit cleanly.
 * @returns {Promise<{ code: number | null, error?: string }>}
 */
export async function stopServer(/** @type {Server} */ server) {
  if (server.child.exitCode !== null) return { code: server.child.exitCode }
  server.child.kill('SIGTERM')
  const timeout = sleep(10_000).then(() => undefined)
  const result = await Promise.race([server.exited, timeout])
  if (!result) {
    server.child.kill('SIGKILL')
    return { code: null, error: 'did not exit within 10 s of SIGTERM' }
  }
  return result
}

export async function rssMb(/** @type {number | undefined} */ pid, field = 'VmRSS') {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kb = Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
  return kb / 1024
}

/** Share of all cores busy over one second, from the per-core tick counters (what else the machine is doing). */
export async function cpuBusy() {
  const ticks = () =>
    cpus().reduce(
      (acc, c) => {
        const t = c.times
        acc.total += t.user + t.nice + t.sys + t.idle + t.irq
        acc.idle += t.idle
        return acc
      },
      { total: 0, idle: 0 }
    )
  const a = ticks()
  await sleep(1000)
  const b = ticks()
  return b.total === a.total ? 0 : 100 * (1 - (b.idle - a.idle) / (b.total - a.total))
}

/** Runs a bench's main(): exit 0 when it met what it checks; a known failure (a bad flag, a server that said why) without a stack. */
export function runMain(/** @type {() => Promise<boolean | void>} */ main) {
  main()
    // once what was printed has reached the pipe
    .then((ok) => void process.stdout.write('', () => process.exit(ok === false ? 1 : 0)))
    .catch((error) => {
      const e = /** @type {Error & { help?: boolean, known?: boolean, exitCode?: number }} */ (error)
      if (e.help) {
        console.log(e.message)
        return
      }
      console.error(e.known || e.exitCode !== undefined ? `bench: ${e.message}` : e)
      process.exit(1)
    })
}
