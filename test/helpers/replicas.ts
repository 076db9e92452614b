// Gatehouse on a persistent store: in-process replicas sharing one database, the CLI as a real
// process (started, killed, started again), and a browser over real HTTP that carries its cookies by hand.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import type { Config } from '../../src/config/types.js'
import { buildServer, type ServerOverrides } from '../../src/server.js'
import type { Clock } from '../../src/util/clock.js'
import { testConfig } from './tenant.js'
import { madeKey } from './made-keys.js'

// ---------------------------------------------------------------- replicas in this process

/**
 * A Gatehouse on `store` (a database URL) with the test tenant and the real clock (unless overridden), closed on teardown.
 * Its keys directory is `<dir>/keys-<name>`: with a SQL store nothing may be written there.
 */
export async function buildReplica(
  t: Test,
  store: string,
  dir: string,
  name: string,
  config: Partial<Config> = {},
  overrides: Pick<ServerOverrides, 'clock' | 'logStream'> = {},
) {
  const keysDir = join(dir, `keys-${name}`)
  // Silent unless the test reads the log.
  const app = await buildServer(testConfig({ ...config, store, keysDir }), { generateKey: madeKey, ...overrides, ...(overrides.logStream ? {} : { logger: false }) })
  t.teardown(() => app.close())
  return { app, keysDir }
}

/** Builds `count` replicas at the same moment, on one store. */
export function buildReplicas(
  t: Test,
  store: string,
  dir: string,
  count: number,
  config: Partial<Config> = {},
  overrides: Pick<ServerOverrides, 'clock'> = {},
) {
  return Promise.all(Array.from({ length: count }, (_, i) => buildReplica(t, store, dir, String.fromCharCode(65 + i), config, overrides)))
}

/**
 * The real clock, running `factor` times faster from now on: stands for a slow database, under
 * which one request spans several of the clock's seconds. Replicas given the same one agree on it.
 */
export function fastClock(factor: number): Clock {
  const start = Date.now()
  return { now: () => start + (Date.now() - start) * factor }
}

/** The store URL with Gatehouse's pool settings added to its query. */
export function withPoolSettings(url: string, settings: Record<string, string | number>): string {
  const parsed = new URL(url)
  for (const [key, value] of Object.entries(settings)) parsed.searchParams.set(key, String(value))
  return parsed.toString()
}

/** The response's Location header; throws when there is none. */
export function locationOf(res: { statusCode: number; headers: Record<string, unknown> }): string {
  const location = res.headers.location
  if (typeof location !== 'string') throw new Error(`expected a redirect, got ${res.statusCode}`)
  return location
}

// ---------------------------------------------------------------- the CLI as a process

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
const READY = /Gatehouse ready at (\S+) \(bound to ([\d.]+):(\d+)\)/

export interface CliProcess {
  child: ChildProcess
  /** http://127.0.0.1:<port>, the address bound, without a trailing slash */
  url: string
  /** the issuer named in the ready line */
  issuer: string
  stdout(): string
  stderr(): string
  /** sends `signal` and resolves once the process is gone, with its exit code and signal */
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts `node dist/cli.js args` and resolves once it logs that it is ready (killed on teardown). */
export async function startCli(t: Test, args: string[], timeoutMs = 20_000): Promise<CliProcess> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (chunk) => (out += chunk))
  child.stderr!.on('data', (chunk) => (err += chunk))
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const check = () => {
      const found = READY.exec(out)
      if (found) done(() => resolve(found))
    }
    const timer = setTimeout(() => done(() => reject(new Error(`not ready after ${timeoutMs} ms:\n${out}\n${err}`))), timeoutMs)
    const onExit = (code: number | null) => done(() => reject(new Error(`exited with ${code} before it was ready:\n${out}\n${err}`)))
    const done = (settle: () => void) => {
      clearTimeout(timer)
      child.stdout!.off('data', check)
      child.off('exit', onExit)
      settle()
    }
    child.stdout!.on('data', check)
    child.on('exit', onExit)
    check()
  })
  const [, issuer, host, port] = match
  return {
    child,
    url: `http://${host}:${port}`,
    issuer: issuer!,
    stdout: () => out,
    stderr: () => err,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const [code, sig] = await exited
      return { code, signal: sig }
    },
  }
}

/** Runs the CLI to its end, for the ways it refuses to start; killed (code null) after `timeoutMs`. */
export const runCli = (args: string[], timeoutMs = 20_000) => runNode([CLI, ...args], { timeoutMs })

/** Runs `node args` to its end, with `env` added to this process's; killed (code null) after `timeoutMs`. */
export async function runNode(args: string[], { env = {}, cwd, timeoutMs = 20_000 }: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}) {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  // 'close', not 'exit': the output may still be arriving when the process has exited
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null]
  clearTimeout(timer)
  return { code: signal === null ? code : null, stdout, stderr }
}

// ---------------------------------------------------------------- a browser over real HTTP

export interface Page {
  status: number
  /** absolute URL of the Location header, when there is one */
  location?: string
  headers: Headers
  body: string
}

/** fetch with redirects left to the caller and a cookie jar kept by hand (name → value; no domains). */
export class HttpBrowser {
  readonly cookies = new Map<string, string>()

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.#send(url, { method: 'GET', headers })
  }

  async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Page> {
    return this.#send(url, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    })
  }

  async #send(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Page> {
    const headers = { ...init.headers }
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader
    const res = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq)
      const value = pair.slice(eq + 1)
      const expired = value === '' || attributes.some((a) => /^max-age=0$/i.test(a) || /^expires=Thu, 01 Jan 1970/i.test(a))
      if (expired) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    const location = res.headers.get('location')
    return {
      status: res.status,
      ...(location === null ? {} : { location: new URL(location, url).toString() }),
      headers: res.headers,
      body: await res.text(),
    }
  }
}

/** The value of a hidden form field in an HTML page. */
export function formField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)
  if (!match) throw new Error(`no field ${name} in page:\n${html.slice(0, 500)}`)
  return match[1]!
}

/** Fills in and submits the login page at `url`; resolves with the answer to the form. */
export async function logIn(browser: HttpBrowser, url: string, username: string, password: string): Promise<Page> {
  const page = await browser.get(url)
  if (page.status !== 200) throw new Error(`login page ${url}: ${page.status}`)
  return browser.post(url, { csrf: formField(page.body, 'csrf'), username, password })
}

/** Opens the consent page at `url` and answers it; resolves with the page and the answer to the form. */
export async function answerConsent(browser: HttpBrowser, url: string, decision = 'allow') {
  const page = await browser.get(url)
  if (page.status !== 200) throw new Error(`consent page ${url}: ${page.status}`)
  const answer = await browser.post(url, { csrf: formField(page.body, 'csrf'), decision })
  return { page, answer }
}

// ---------------------------------------------------------------- a line that stops carrying data

export interface StallingProxy {
  /** the local port to connect to (on 127.0.0.1) */
  port: number
  /** from now on nothing passes, either way, and new connections are accepted but never forwarded: packets lost, no reset */
  stall(): void
  /** everything flows again; connections accepted meanwhile are forwarded now */
  resume(): void
}

/** A TCP forwarder to host:port that can stall, as a network partition does (unlike a refused or reset connection); closed on teardown. */
export async function startStallingProxy(t: Test, host: string, port: number): Promise<StallingProxy> {
  let stalled = false
  const pairs = new Set<[Socket, Socket]>()
  const waiting = new Set<Socket>()
  const sockets = new Set<Socket>()
  const track = (socket: Socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  }
  const link = ([down, up]: [Socket, Socket]) => {
    down.pipe(up)
    up.pipe(down)
  }
  const forward = (down: Socket) => {
    const up = connect(port, host)
    track(up)
    const pair: [Socket, Socket] = [down, up]
    pairs.add(pair)
    down.on('close', () => (up.destroy(), pairs.delete(pair)))
    up.on('close', () => down.destroy())
    link(pair)
  }
  const server = createServer((down) => {
    track(down)
    if (!stalled) return forward(down)
    down.pause()
    waiting.add(down)
    down.on('close', () => waiting.delete(down))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  )
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('stalling proxy: no port')
  return {
    port: address.port,
    stall() {
      stalled = true
      for (const [down, up] of pairs) {
        down.unpipe(up)
        up.unpipe(down)
        down.pause()
        up.pause()
      }
    },
    resume() {
      stalled = false
      for (const pair of pairs) link(pair)
      for (const down of waiting) forward(down)
      waiting.clear()
    },
  }
}
