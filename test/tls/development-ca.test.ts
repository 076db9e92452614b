// The development CA on disk: made once, kept across restarts, the server certificate re-issued by
// the same CA when it no longer fits; processes starting together agree on one CA.
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { loadDevelopmentTls } from '../../src/tls/development-ca.js'
import { fingerprintOf, recordingLog, tlsErrorOf } from './helpers.js'

const NOW = new Date('2025-03-01T12:00:00.000Z')
const DAY = 24 * 60 * 60 * 1000
const ISSUER = 'https://localhost:4000/'

async function tlsFiles(keysDir: string) {
  const dir = join(keysDir, 'tls')
  const read = (name: string) => readFile(join(dir, name), 'utf8')
  return { dir, ca: await read('ca.pem'), caKey: await read('ca-key.pem'), server: await read('server.pem'), serverKey: await read('server-key.pem') }
}

const load = (keysDir: string, options: { issuer?: string; now?: Date; log?: ReturnType<typeof recordingLog> } = {}) =>
  loadDevelopmentTls({ keysDir, issuer: options.issuer ?? ISSUER, now: options.now ?? NOW, log: options.log ?? recordingLog() })

const keysDirOf = (t: Test) => join(t.testdir(), 'keys')

t.test('first use: a CA and a server certificate in <keys-dir>/tls/, keys private to the owner', async (t) => {
  const keysDir = keysDirOf(t)
  const log = recordingLog()
  const material = await load(keysDir, { log })
  const files = await tlsFiles(keysDir)
  t.equal(material.cert, files.server, 'serves server.pem')
  t.equal(material.key, files.serverKey, 'with server-key.pem')
  const mode = async (name: string) => ((await stat(join(files.dir, name))).mode & 0o777).toString(8)
  t.equal(await mode(''), '700', 'the directory')
  t.equal(await mode('ca-key.pem'), '600')
  t.equal(await mode('server-key.pem'), '600')
  t.equal(await mode('ca.pem'), '644')
  t.equal(await mode('server.pem'), '644')
  const ca = new X509Certificate(files.ca)
  const server = new X509Certificate(files.server)
  t.ok(ca.ca)
  t.ok(server.verify(ca.publicKey), 'the server certificate chains to ca.pem')
  t.equal(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
  t.same(log.lines, [`info: TLS: made a development CA, ${join(files.dir, 'ca.pem')}; trust it to connect without certificate warnings`])
})

t.test('a restart reuses every file as it is', async (t) => {
  const keysDir = keysDirOf(t)
  await load(keysDir)
  const before = await tlsFiles(keysDir)
  const log = recordingLog()
  const material = await load(keysDir, { now: new Date(NOW.getTime() + 100 * DAY), log })
  t.same(await tlsFiles(keysDir), before, 'the same files')
  t.equal(fingerprintOf(material.cert), fingerprintOf(before.server), 'the same server certificate served')
  t.equal(material.key, before.serverKey)
  t.same(log.lines, [], 'nothing made, nothing to say')
})

t.test('another issuer host: the server certificate is re-issued by the same CA, for the same key', async (t) => {
  const keysDir = keysDirOf(t)
  await load(keysDir)
  const before = await tlsFiles(keysDir)
  const log = recordingLog()
  const material = await load(keysDir, { issuer: 'https://auth.example.test/', log })
  const after = await tlsFiles(keysDir)
  t.equal(after.ca, before.ca, 'ca.pem unchanged: a CA trusted once stays trusted')
  t.equal(after.caKey, before.caKey)
  t.equal(after.serverKey, before.serverKey)
  t.not(fingerprintOf(after.server), fingerprintOf(before.server))
  t.equal(material.cert, after.server)
  const server = new X509Certificate(after.server)
  t.equal(server.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:auth.example.test')
  t.ok(server.verify(new X509Certificate(after.ca).publicKey))
  t.same(log.lines, [
    `info: TLS: re-issued ${join(after.dir, 'server.pem')} for localhost, 127.0.0.1, ::1, auth.example.test, as it does not name auth.example.test`,
  ])

  const back = recordingLog()
  await load(keysDir, { issuer: 'https://auth.example.test/tenant/', log: back })
  t.same(back.lines, [], 'a path or port of its own changes nothing')
})

t.test('near expiry: re-issued when less than 30 days are left', async (t) => {
  const keysDir = keysDirOf(t)
  await load(keysDir)
  const before = await tlsFiles(keysDir)
  await load(keysDir, { now: new Date(NOW.getTime() + 334 * DAY) })
  t.equal((await tlsFiles(keysDir)).server, before.server, '31 days left: kept')

  const later = new Date(NOW.getTime() + 336 * DAY)
  const log = recordingLog()
  await load(keysDir, { now: later, log })
  const after = await tlsFiles(keysDir)
  t.not(after.server, before.server)
  t.equal(after.ca, before.ca)
  t.equal(new Date(new X509Certificate(after.server).validTo).getTime(), later.getTime() + 365 * DAY)
  t.same(log.lines, [`info: TLS: re-issued ${join(after.dir, 'server.pem')} for localhost, 127.0.0.1, ::1, as it expires on 2026-03-01`])
})

t.test('three processes starting together on a new directory end with one CA and one server certificate', async (t) => {
  const keysDir = keysDirOf(t)
  const results = await Promise.all([load(keysDir), load(keysDir), load(keysDir)])
  const files = await tlsFiles(keysDir)
  const ca = new X509Certificate(files.ca)
  for (const material of results) {
    t.equal(material.cert, files.server, 'each serves the certificate on disk')
    t.equal(material.key, files.serverKey)
  }
  t.ok(new X509Certificate(files.server).verify(ca.publicKey), 'which ca.pem signed')
  t.ok(ca.checkPrivateKey(createPrivateKey(files.caKey)), 'ca.pem is the certificate of ca-key.pem')
})

t.test('a new CA (its files deleted): the server certificate is re-issued by it', async (t) => {
  const keysDir = keysDirOf(t)
  await load(keysDir)
  const before = await tlsFiles(keysDir)
  await rm(join(before.dir, 'ca.pem'))
  await rm(join(before.dir, 'ca-key.pem'))
  const log = recordingLog()
  await load(keysDir, { log })
  const after = await tlsFiles(keysDir)
  t.not(after.ca, before.ca)
  t.ok(new X509Certificate(after.server).verify(new X509Certificate(after.ca).publicKey))
  t.same(log.lines, [
    `info: TLS: made a development CA, ${join(after.dir, 'ca.pem')}; trust it to connect without certificate warnings`,
    `info: TLS: re-issued ${join(after.dir, 'server.pem')} for localhost, 127.0.0.1, ::1, as the CA in ca.pem did not issue it`,
  ])
})

t.test('a key file readable by others is used, with a warning', async (t) => {
  const keysDir = keysDirOf(t)
  await load(keysDir)
  const file = join(keysDir, 'tls', 'ca-key.pem')
  await chmod(file, 0o644)
  const log = recordingLog()
  await load(keysDir, { log })
  t.same(log.lines, [`warn: ${file} is readable by other users; chmod 600 it`])
})

t.test('files that cannot be used: one line naming the file and what to do', async (t) => {
  const keysDir = keysDirOf(t)
  await load(keysDir)
  const dir = join(keysDir, 'tls')
  const startOver = `delete ${dir} to make a new CA (and trust its ca.pem instead)`
  const ca = await readFile(join(dir, 'ca.pem'), 'utf8')
  const server = await readFile(join(dir, 'server.pem'), 'utf8')

  await writeFile(join(dir, 'ca.pem'), 'not a certificate\n')
  t.equal(await tlsErrorOf(load(keysDir)), `${join(dir, 'ca.pem')}: not a PEM certificate; ${startOver}`)
  await writeFile(join(dir, 'ca.pem'), server)
  t.equal(await tlsErrorOf(load(keysDir)), `${join(dir, 'ca.pem')}: not the CA certificate of ${join(dir, 'ca-key.pem')}; ${startOver}`)
  await writeFile(join(dir, 'ca.pem'), ca)
  const in10Years = new Date(NOW.getTime() + 3651 * DAY)
  t.equal(await tlsErrorOf(load(keysDir, { now: in10Years })), `${join(dir, 'ca.pem')}: expired on 2035-02-27; ${startOver}`)
  await writeFile(join(dir, 'ca-key.pem'), '-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n')
  t.equal(await tlsErrorOf(load(keysDir)), `${join(dir, 'ca-key.pem')}: not a PEM private key; ${startOver}`)
})

t.test('a file where the tls directory should be', async (t) => {
  const keysDir = t.testdir({ tls: 'a file' })
  t.equal(await tlsErrorOf(load(keysDir)), `${join(keysDir, 'tls')}: exists but is not a directory`)
})
