// The process as users start it under TLS: node dist/cli.js --tls (built by `npm run build`).
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import type { Test } from 'tap'
import { createCaCertificate, generatePrivateKeyPem, issueServerCertificate } from '../../src/tls/certificates.js'
import { serverNames } from '../../src/tls/server-names.js'
import { runCli, startCli, type CliProcess } from '../helpers/replicas.js'
import { fingerprintOf, httpsGet } from './helpers.js'

const DOCKERFILE = fileURLToPath(new URL('../../Dockerfile', import.meta.url))

const portOf = (cli: CliProcess) => Number(new URL(cli.url).port)

/** Resolves once the process has written `text` to stdout (the banner follows the ready line). */
async function waitForOutput(t: Test, cli: CliProcess, text: string): Promise<string> {
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (cli.stdout().includes(text)) return cli.stdout()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  t.fail(`no ${JSON.stringify(text)} in stdout:\n${cli.stdout()}`)
  return cli.stdout()
}

t.test('--tls: https on --port, an https issuer, a CA to trust, and the same CA after a restart', async (t) => {
  const keysDir = join(t.testdir(), 'keys')
  const ca = join(keysDir, 'tls', 'ca.pem')
  const first = await startCli(t, ['--tls', '--port', '0', '--keys-dir', keysDir])
  const port = portOf(first)
  t.equal(first.issuer, `https://localhost:${port}/`, 'the ready line names the https issuer')
  const caPem = await readFile(ca, 'utf8')
  const discovery = await httpsGet(`https://localhost:${port}/.well-known/openid-configuration`, caPem)
  t.equal(discovery.status, 200)
  const metadata = JSON.parse(discovery.body)
  t.equal(metadata.issuer, `https://localhost:${port}/`)
  t.equal(metadata.token_endpoint, `https://localhost:${port}/oauth/token`)

  const out = await waitForOutput(t, first, '--ignore-certificate-errors\n')
  t.match(out, `\n  Issuer      https://localhost:${port}/\n`)
  t.match(out, `\n  TLS CA      ${ca} (made by Gatehouse; clients must trust it)\n`)
  t.match(out, `\n  NODE_EXTRA_CA_CERTS=${ca}\n`)
  t.match(out, '\n  Browsers: import ca.pem as a trusted authority, or use a throw-away Chromium with --ignore-certificate-errors\n')
  const served = discovery.peer.fingerprint256
  t.same(await first.kill(), { code: 0, signal: null }, 'SIGTERM closes cleanly')

  const again = await startCli(t, ['--tls', '--port', '0', '--keys-dir', keysDir])
  t.equal(await readFile(ca, 'utf8'), caPem, 'the same ca.pem')
  const health = await httpsGet(`https://127.0.0.1:${portOf(again)}/healthz`, caPem)
  t.equal(health.status, 200)
  t.equal(health.peer.fingerprint256, served, 'the same server certificate')
  t.same(await again.kill(), { code: 0, signal: null })
})

t.test('three processes starting together on one new directory: one CA, which every one of them serves under', async (t) => {
  const keysDir = join(t.testdir(), 'keys')
  const started = await Promise.all([0, 1, 2].map(() => startCli(t, ['--tls', '--port', '0', '--keys-dir', keysDir])))
  const caPem = await readFile(join(keysDir, 'tls', 'ca.pem'), 'utf8')
  const serverPem = await readFile(join(keysDir, 'tls', 'server.pem'), 'utf8')
  for (const cli of started) {
    const res = await httpsGet(`https://localhost:${portOf(cli)}/healthz`, caPem)
    t.equal(res.status, 200, 'trusted through ca.pem')
    t.equal(res.peer.fingerprint256, fingerprintOf(serverPem), 'serving server.pem')
  }
  t.same((await readdir(join(keysDir, 'tls'))).sort(), ['ca-key.pem', 'ca.pem', 'server-key.pem', 'server.pem'], 'no temp files left')
})

t.test('--tls-cert and --tls-key: your certificate is served, and the banner names it without CA lines', async (t) => {
  const dir = t.testdir()
  const now = new Date()
  const caKeyPem = await generatePrivateKeyPem()
  const caPem = await createCaCertificate(caKeyPem, now)
  const keyPem = await generatePrivateKeyPem()
  const certPem = await issueServerCertificate({ caPem, caKeyPem, serverKeyPem: keyPem, names: serverNames('https://localhost/'), now })
  await writeFile(join(dir, 'cert.pem'), certPem)
  await writeFile(join(dir, 'key.pem'), keyPem)
  const keysDir = join(dir, 'keys')
  const cli = await startCli(t, ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem'), '--port', '0', '--keys-dir', keysDir])
  const port = portOf(cli)
  t.equal(cli.issuer, `https://localhost:${port}/`)
  const res = await httpsGet(`https://localhost:${port}/.well-known/openid-configuration`, caPem)
  t.equal(JSON.parse(res.body).issuer, `https://localhost:${port}/`)
  t.equal(res.peer.fingerprint256, fingerprintOf(certPem), 'your certificate')
  const out = await waitForOutput(t, cli, '(your certificate)\n')
  t.match(out, `\n  TLS         ${join(dir, 'cert.pem')} (your certificate)\n`)
  t.notMatch(out, 'NODE_EXTRA_CA_CERTS')
  t.notMatch(out, 'ca.pem')
  t.notOk((await readdir(keysDir)).includes('tls'), 'no development CA made')
})

t.test('mistakes: exit 2 with one line naming the flag or the file', async (t) => {
  const dir = t.testdir({ 'garbage.pem': 'not a certificate\n', folder: {} })
  const own = async (cert: string, key: string) => runCli(['--tls-cert', cert, '--tls-key', key, '--port', '0', '--keys-dir', join(dir, 'keys')])
  const cases: [Promise<{ code: number | null; stderr: string }>, string][] = [
    [runCli(['--tls-cert', 'cert.pem']), '--tls-cert: needs --tls-key as well (both or neither)'],
    [runCli(['--tls', '--tls-key', 'key.pem']), '--tls-key: needs --tls-cert as well (both or neither)'],
    [runCli(['--tls', '--issuer', 'http://localhost:4000/']), '--issuer: must be an https URL when TLS is on'],
    [own(join(dir, 'missing.pem'), join(dir, 'garbage.pem')), `TLS certificate ${join(dir, 'missing.pem')}: cannot be read (ENOENT: no such file or directory)`],
    [own(join(dir, 'folder'), join(dir, 'garbage.pem')), `TLS certificate ${join(dir, 'folder')}: cannot be read (EISDIR: illegal operation on a directory)`],
    [own(join(dir, 'garbage.pem'), join(dir, 'garbage.pem')), `TLS certificate ${join(dir, 'garbage.pem')}: not a PEM certificate`],
    [runCli(['--tls', '--port', '0', '--keys-dir', join(dir, 'garbage.pem')]), `${join(dir, 'garbage.pem', 'tls')}: cannot create it (ENOTDIR: not a directory)`],
  ]
  for (const [run, message] of cases) {
    const { code, stderr } = await run
    t.same({ code, stderr }, { code: 2, stderr: `gatehouse: ${message}\n` })
  }
})

t.test("the Dockerfile's HEALTHCHECK passes over https and over http, and fails when nothing answers", async (t) => {
  const dockerfile = await readFile(DOCKERFILE, 'utf8')
  const command = JSON.parse(/HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])\n/.exec(dockerfile)![1]!) as string[]
  t.equal(command[0], 'node')
  const check = async (port: number) => {
    const child = spawn(process.execPath, command.slice(1), { stdio: 'ignore', env: { ...process.env, PORT: String(port) } })
    const [code] = await once(child, 'exit')
    return code as number
  }
  const tls = await startCli(t, ['--tls', '--port', '0', '--keys-dir', join(t.testdir(), 'keys')])
  t.equal(await check(portOf(tls)), 0, 'https')
  const plain = await startCli(t, ['--port', '0', '--keys-dir', join(t.testdir(), 'keys')])
  t.equal(await check(portOf(plain)), 0, 'http')
  await plain.kill()
  t.equal(await check(portOf(plain)), 1, 'nothing listening')
})
