// The process as users start it: node dist/cli.js (built by `npm ci` / `npm run build`).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

interface Started {
  url: string
  stdout: () => string
  stop: () => Promise<number | null>
}

/** Starts the CLI and resolves once it logs that it is listening. */
async function start(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (chunk) => (out += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after 10 s:\n${out}`)), 10_000)
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    child.on('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${out}`)))
  })
  return {
    url,
    stdout: () => out,
    stop: async () => {
      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      return code as number | null
    },
  }
}

/** Runs the CLI to its end; for the ways it refuses to start. */
async function run(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const [code] = await once(child, 'exit')
  return { code: code as number | null, stderr }
}

t.test('starts on the demo tenant, prints the banner, serves discovery and stops on SIGTERM', async (t) => {
  const keys = join(t.testdir(), 'keys')
  const server = await start(['--port', '0', '--keys-dir', keys])
  const port = new URL(server.url).port
  const discovery = await fetch(`${server.url}/.well-known/openid-configuration`)
  t.equal(discovery.status, 200)
  t.equal((await discovery.json()).issuer, `http://localhost:${port}/`)
  t.match(server.stdout(), 'alice / wonderland')
  t.match(server.stdout(), `http://localhost:${port}/authorize?client_id=gatehouse-demo-spa&`)
  const firstKeys = await (await fetch(`${server.url}/.well-known/jwks.json`)).json()
  t.equal(await server.stop(), 0, 'SIGTERM closes cleanly')

  const again = await start(['--port', '0', '--keys-dir', keys])
  const secondKeys = await (await fetch(`${again.url}/.well-known/jwks.json`)).json()
  t.strictSame(secondKeys, firstKeys, 'the same signing keys after a restart')
  t.equal(await again.stop(), 0)
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
  t.match(stderr, /^gatehouse: .*gatehouse\.json: clients\[0\]: unknown key "redirect_uris"\n$/)
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
