// The process as users start it: node dist/cli.js (built by `npm ci` / `npm run build`).
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { connect, createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Test } from 'tap'
import { unwritableDir } from './helpers/fs.js'

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const READY = /Gatehouse ready at (\S+) \(bound to ([\d.]+):(\d+)\)/

interface Started {
  child: ChildProcess
  /** http://127.0.0.1:<port>, the address bound */
  url: string
  port: number
  /** the issuer named in the ready line */
  issuer: string
  stdout: () => string
  /** resolves with the next text matching `pattern` on stdout */
  waitFor: (pattern: RegExp) => Promise<RegExpExecArray>
  stop: () => Promise<number | null>
}

function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
}

/** Starts the CLI and resolves once it logs that it is ready. */
async function start(t: Test, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawnCli(args, env)
  t.teardown(() => void child.kill('SIGKILL'))
  let out = ''
  child.stdout!.on('data', (chunk) => (out += chunk))
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out)
        if (!match) return
        cleanup()
        resolve(match)
      }
      const timer = setTimeout(() => (cleanup(), reject(new Error(`no ${pattern} after 10 s:\n${out}`))), 10_000)
      const exited = (code: number | null) => (cleanup(), reject(new Error(`exited with ${code}, waiting for ${pattern}:\n${out}`)))
      const cleanup = () => {
        clearTimeout(timer)
        child.stdout!.off('data', check)
        child.off('exit', exited)
      }
      child.stdout!.on('data', check)
      child.on('exit', exited)
      check()
    })
  const [, issuer, host, port] = await waitFor(READY)
  return {
    child,
    url: `http://${host}:${port}`,
    port: Number(port),
    issuer: issuer!,
    stdout: () => out,
    waitFor,
    stop: () => stop(child),
  }
}

async function stop(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = await exited
  return code as number | null
}

/** Runs the CLI to its end, for the ways it refuses to start; killed after 20 s. */
async function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  const [code, signal] = await once(child, 'exit')
  clearTimeout(timer)
  return { code: signal === 'SIGKILL' ? null : (code as number | null), stderr }
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as AddressInfo
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** Resolves with what `promise` gives, or with `fallback` after `ms`. */
async function within<T, F>(promise: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<F>((resolve) => (timer = setTimeout(resolve, ms, fallback)))
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

t.test('starts on the demo tenant, prints the banner, serves discovery and stops on SIGTERM', async (t) => {
  const keys = join(t.testdir(), 'keys')
  const server = await start(t, ['--port', '0', '--keys-dir', keys])
  const { port } = server
  const issuer = `http://localhost:${port}/`
  t.equal(server.issuer, issuer, 'the ready line names the issuer first')
  t.match(server.stdout(), `"msg":"Gatehouse ready at ${issuer} (bound to 127.0.0.1:${port})"`)
  const discovery = await fetch(`${server.url}/.well-known/openid-configuration`)
  t.equal(discovery.status, 200)
  t.equal((await discovery.json()).issuer, issuer)
  await server.waitFor(/\n {2}http:\/\/localhost:\d+\/playground\?.*\n\n/)
  const out = server.stdout()
  t.match(out, '\n  Gatehouse is serving the built-in demo tenant (use --config FILE for your own).\n')
  t.match(out, `\n  Issuer      ${issuer}\n`)
  t.match(out, `\n  Discovery   ${issuer}.well-known/openid-configuration\n`)
  t.match(out, '\n  Store       memory: (nothing is kept when Gatehouse stops)\n')
  t.match(out, '\n  Users       alice / wonderland\n              bob / builder\n')
  t.match(out, `\n  Playground  ${issuer}playground\n`)
  t.match(out, `\n  Sign in and see the tokens, decoded and verified:\n  ${issuer}playground?flow=implicit-id-token-token&run=1\n`)
  const firstKeys = await (await fetch(`${server.url}/.well-known/jwks.json`)).json()
  t.equal(await server.stop(), 0, 'SIGTERM closes cleanly')

  const again = await start(t, ['--port', '0', '--keys-dir', keys])
  const secondKeys = await (await fetch(`${again.url}/.well-known/jwks.json`)).json()
  t.strictSame(secondKeys, firstKeys, 'the same signing keys after a restart')
  t.equal(await again.stop(), 0)
})

t.test('with --config the banner names the issuer, discovery, store and tenant, and no passwords', async (t) => {
  const dir = t.testdir({
    'gatehouse.json': JSON.stringify({
      issuer: 'http://auth.example.test/',
      clients: [{ client_id: 'app', name: 'App', callbacks: ['http://localhost:3000/callback'] }],
      users: [{ user_id: 'auth0|u', email: 'u@example.com', password: 'not-for-the-banner' }],
    }),
  })
  const file = join(dir, 'gatehouse.json')
  const server = await start(t, ['--config', file, '--port', '0', '--keys-dir', join(dir, 'keys')])
  t.equal(server.issuer, 'http://auth.example.test/')
  await server.waitFor(/\n {2}Store .*\n\n/)
  const out = server.stdout()
  t.match(out, `\n  Gatehouse is serving the tenant in ${file} (1 client, 0 APIs, 1 user).\n`)
  t.match(out, '\n  Issuer      http://auth.example.test/\n')
  t.match(out, '\n  Discovery   http://auth.example.test/.well-known/openid-configuration\n')
  t.match(out, '\n  Store       memory: (nothing is kept when Gatehouse stops)\n')
  t.notMatch(out, 'not-for-the-banner')
  t.notMatch(out, 'Users')
  t.equal(await server.stop(), 0)
})

// Regression: with `gatehouse | head -3` the banner's write failed with EPIPE, an uncaught
// exception; on the way out pino's exit hook retried the write forever.
t.test('a closed stdout does not stop it: it keeps serving, and SIGTERM exits 0', async (t) => {
  const port = await freePort()
  const child = spawnCli(['--port', String(port), '--keys-dir', join(t.testdir(), 'keys')])
  t.teardown(() => void child.kill('SIGKILL'))
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  await once(child.stdout!, 'data') // the first log line, long before the banner
  child.stdout!.destroy()

  let healthy = false
  for (let attempt = 0; attempt < 100 && !healthy; attempt++) {
    healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((res) => res.ok, () => false)
    if (!healthy) await new Promise((resolve) => setTimeout(resolve, 100))
  }
  t.ok(healthy, 'ready, though nobody reads its output')
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`)
    t.strictSame(await res.json(), { status: 'ok' }, `still answering after writing to the closed pipe (${i + 1})`)
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  child.kill('SIGTERM')
  t.equal(await within(exited, 10_000, 'still running 10 s after SIGTERM'), 0)
  t.equal(stderr, '')
})

t.test('SIGTERM ends it within the deadline while a request is stalled mid-body', async (t) => {
  const server = await start(t, ['--port', '0', '--keys-dir', join(t.testdir(), 'keys')])
  const socket = connect(server.port, '127.0.0.1')
  t.teardown(() => socket.destroy())
  await once(socket, 'connect')
  socket.write('POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=')
  socket.on('error', () => {})
  t.equal((await fetch(`${server.url}/healthz`)).status, 200, 'another client is served meanwhile')

  const exited = once(server.child, 'exit').then(([code]) => code as number | null)
  server.child.kill('SIGTERM')
  t.equal(await within(exited, 15_000, 'still running 15 s after SIGTERM'), 0, 'exits 0 once the deadline has passed')
  t.match(server.stdout(), 'requests still open 5 s after SIGTERM; closing their connections')
})

t.test('a bad flag ends with exit code 2 and one line, no stack trace', async (t) => {
  const { code, stderr } = await run(['--bogus'])
  t.equal(code, 2)
  t.equal(stderr, 'gatehouse: --bogus: unknown flag (see --help)\n')
})

t.test('a bad config file ends with exit code 2 naming the file and the key', async (t) => {
  const dir = t.testdir({ 'gatehouse.json': JSON.stringify({ clients: [{ client_id: 'a', name: 'A', redirect_uris: [] }] }) })
  const { code, stderr } = await run(['--config', join(dir, 'gatehouse.json')])
  t.equal(code, 2)
  t.match(stderr, /^gatehouse: .*gatehouse\.json: clients\[0\]: unknown key "redirect_uris".*\n$/)
})

t.test('a port in use ends with exit code 2', async (t) => {
  const blocker = createServer()
  blocker.listen(0, '127.0.0.1')
  await once(blocker, 'listening')
  t.teardown(() => blocker.close())
  const port = (blocker.address() as { port: number }).port
  const { code, stderr } = await run(['--port', String(port), '--keys-dir', join(t.testdir(), 'keys')])
  t.equal(code, 2)
  t.equal(stderr, `gatehouse: port ${port} is already in use on 127.0.0.1 (EADDRINUSE)\n`)
})

t.test('a keys directory problem ends with exit code 2 and one line naming the directory and the cause', async (t) => {
  t.test('a directory that cannot be created (fs.mkdir looped forever on procfs)', { skip: process.platform !== 'linux' }, async (t) => {
    const { code, stderr } = await run(['--port', '0', '--keys-dir', '/proc/x'])
    t.equal(code, 2)
    t.equal(stderr, 'gatehouse: keys directory /proc/x: cannot create it (ENOENT: no such file or directory)\n')
  })

  t.test('a file', async (t) => {
    const file = join(t.testdir({ keys: 'a file' }), 'keys')
    const { code, stderr } = await run(['--port', '0', '--keys-dir', file])
    t.equal(code, 2)
    t.equal(stderr, `gatehouse: keys directory ${file}: exists but is not a directory\n`)
  })

  t.test('a directory that cannot be written', async (t) => {
    const dir = await unwritableDir(t)
    if (dir === undefined) return t.pass('skipped: no directory this user cannot write to')
    const { code, stderr } = await run(['--port', '0', '--keys-dir', dir])
    t.equal(code, 2)
    t.match(stderr, new RegExp(`^gatehouse: keys directory ${dir}: cannot write a signing key there \\((EACCES|EPERM|EROFS): [^)]+\\)\\n$`))
  })

  t.test('a damaged key file', async (t) => {
    const dir = t.testdir({ 'rs256.private.jwk.json': '{' })
    const { code, stderr } = await run(['--port', '0', '--keys-dir', dir])
    t.equal(code, 2)
    t.match(stderr, new RegExp(`^gatehouse: signing key file ${join(dir, 'rs256.private.jwk.json')} is not valid JSON .*; delete it to generate a new key .*\\n$`))
  })
})

t.test('two processes starting on one new keys directory sign with the same keys', async (t) => {
  const keys = join(t.testdir(), 'keys')
  const [a, b] = await Promise.all([start(t, ['--port', '0', '--keys-dir', keys]), start(t, ['--port', '0', '--keys-dir', keys])])
  const jwksOf = async (server: Started) => (await fetch(`${server.url}/.well-known/jwks.json`)).json()
  const first = await jwksOf(a!)
  t.strictSame(await jwksOf(b!), first)
  t.equal(await a!.stop(), 0)
  t.equal(await b!.stop(), 0)
  const again = await start(t, ['--port', '0', '--keys-dir', keys])
  t.strictSame(await jwksOf(again), first, 'and a restart keeps them')
  t.equal(await again.stop(), 0)
})

t.test('LOG_FORMAT=pretty gives one line per request even on a pipe', async (t) => {
  const server = await start(t, ['--port', '0', '--keys-dir', join(t.testdir(), 'keys')], { LOG_FORMAT: 'pretty' })
  t.match(server.stdout(), new RegExp(`^\\d\\d:\\d\\d:\\d\\d INFO  Gatehouse ready at ${server.issuer} \\(bound to 127\\.0\\.0\\.1:${server.port}\\)$`, 'm'))
  await fetch(`${server.url}/authorize?client_id=nobody`)
  await server.waitFor(/^\d\d:\d\d:\d\d INFO {2}GET \/authorize 400 \d+ms {2}authorize: unknown client: nobody \(shown as a page, not redirected\)$/m)
  t.notMatch(server.stdout(), /^\{/m, 'no JSON')
  t.equal(await server.stop(), 0)
})
