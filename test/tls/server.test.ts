// buildServer under config.tls: the same app over node:https, with the certificate it loaded or made.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import type { Config } from '../../src/config/types.js'
import { buildServer, HTTP_TIMEOUTS } from '../../src/server.js'
import { freePort } from '../helpers/listen.js'
import { testConfig } from '../helpers/tenant.js'
import { fingerprintOf, httpsGet, tlsErrorOf } from './helpers.js'
import { buildServerWithMadeKeys, madeKey } from '../helpers/made-keys.js'

/** Gatehouse over TLS on 127.0.0.1 with the real clock (clients check certificates against it); closed on teardown. */
async function listenWithTls(t: Test, config: Partial<Config>) {
  const port = await freePort()
  const app = await buildServerWithMadeKeys(testConfig({ issuer: `https://localhost:${port}/`, port, ...config }), { logger: false })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port })
  return { app, port }
}

t.test('the development CA: discovery and /healthz over https, for a client that trusts ca.pem', async (t) => {
  const keysDir = join(t.testdir(), 'keys')
  const { port } = await listenWithTls(t, { keysDir, tls: { kind: 'development-ca' } })
  const ca = await readFile(join(keysDir, 'tls', 'ca.pem'), 'utf8')
  const discovery = await httpsGet(`https://localhost:${port}/.well-known/openid-configuration`, ca)
  t.equal(discovery.status, 200)
  t.equal(JSON.parse(discovery.body).issuer, `https://localhost:${port}/`)
  t.equal(discovery.peer.fingerprint256, fingerprintOf(await readFile(join(keysDir, 'tls', 'server.pem'), 'utf8')), 'serves server.pem')
  const health = await httpsGet(`https://127.0.0.1:${port}/healthz`, ca)
  t.same({ status: health.status, body: JSON.parse(health.body) }, { status: 200, body: { status: 'ok' } }, 'by IP address too')
})

t.test('a client that does not trust the CA refuses the connection', async (t) => {
  const { port } = await listenWithTls(t, { keysDir: join(t.testdir(), 'keys'), tls: { kind: 'development-ca' } })
  const other = join(t.testdir(), 'other-keys')
  await buildServer(testConfig({ issuer: 'https://localhost/', keysDir: other, tls: { kind: 'development-ca' } }), { logger: false, generateKey: madeKey }).then((app) => app.close())
  const otherCa = await readFile(join(other, 'tls', 'ca.pem'), 'utf8')
  await t.rejects(httpsGet(`https://localhost:${port}/healthz`, otherCa), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' })
})

t.test('the deadlines for slow clients apply over https as over http', async (t) => {
  const { app } = await listenWithTls(t, { keysDir: join(t.testdir(), 'keys'), tls: { kind: 'development-ca' } })
  t.equal(app.server.headersTimeout, HTTP_TIMEOUTS.headers)
  t.equal(app.server.requestTimeout, HTTP_TIMEOUTS.request)
  t.equal(app.server.keepAliveTimeout, HTTP_TIMEOUTS.keepAlive)
})

t.test('your own certificate that cannot be read: buildServer fails with one line naming the file', async (t) => {
  const certFile = join(t.testdir(), 'missing.pem')
  const config = testConfig({ issuer: 'https://localhost/', tls: { kind: 'own-certificate', certFile, keyFile: certFile } })
  t.equal(await tlsErrorOf(buildServer(config, { logger: false })), `TLS certificate ${certFile}: cannot be read (ENOENT: no such file or directory)`)
})

t.test('what making the CA has to say reaches the log', async (t) => {
  const keysDir = join(t.testdir(), 'keys')
  const lines: string[] = []
  const config = testConfig({ issuer: 'https://localhost/', keysDir, tls: { kind: 'development-ca' }, logLevel: 'info' })
  const app = await buildServer(config, { logStream: { write: (line) => void lines.push(JSON.parse(line).msg) } })
  t.teardown(() => app.close())
  t.ok(lines.includes(`TLS: made a development CA, ${join(keysDir, 'tls', 'ca.pem')}; trust it to connect without certificate warnings`))
})
