// --tls-cert and --tls-key: the user's own certificate and key, read and checked at start.
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { createCaCertificate, generatePrivateKeyPem, issueServerCertificate } from '../../src/tls/certificates.js'
import { loadOwnCertificate } from '../../src/tls/own-certificate.js'
import { serverNames } from '../../src/tls/server-names.js'
import { recordingLog, tlsErrorOf } from './helpers.js'

const NOW = new Date('2025-03-01T12:00:00.000Z')

/** A certificate for localhost from a CA of the test's own, as a user might bring one. */
async function ownCertificate(now = NOW) {
  const caKeyPem = await generatePrivateKeyPem()
  const caPem = await createCaCertificate(caKeyPem, now)
  const keyPem = await generatePrivateKeyPem()
  const certPem = await issueServerCertificate({ caPem, caKeyPem, serverKeyPem: keyPem, names: serverNames('https://localhost/'), now })
  return { caPem, certPem, keyPem }
}

async function filesFor(t: Test, files: Parameters<Test['testdir']>[0]) {
  const dir = t.testdir(files)
  return (name: string) => join(dir, name)
}

t.test('a certificate and its key are served as they are, a chain included', async (t) => {
  const { caPem, certPem, keyPem } = await ownCertificate()
  const file = await filesFor(t, { 'cert.pem': certPem + caPem, 'key.pem': keyPem })
  const log = recordingLog()
  const material = await loadOwnCertificate({ certFile: file('cert.pem'), keyFile: file('key.pem'), now: NOW, log })
  t.same(material, { cert: certPem + caPem, key: keyPem })
  t.same(log.lines, [])
})

t.test('an expired certificate is served, with a warning', async (t) => {
  const { certPem, keyPem } = await ownCertificate(new Date('2020-01-01T00:00:00.000Z'))
  const file = await filesFor(t, { 'cert.pem': certPem, 'key.pem': keyPem })
  const log = recordingLog()
  await loadOwnCertificate({ certFile: file('cert.pem'), keyFile: file('key.pem'), now: NOW, log })
  t.same(log.lines, [`warn: TLS certificate ${file('cert.pem')} expired on 2020-12-31T00:00:00.000Z; clients will refuse it`])
})

t.test('files that cannot be used: one line naming the file', async (t) => {
  const own = await ownCertificate()
  const other = await ownCertificate()
  const file = await filesFor(t, {
    'cert.pem': own.certPem,
    'key.pem': own.keyPem,
    'other-key.pem': other.keyPem,
    'garbage.pem': 'hello\n',
    dir: {},
  })
  const load = (certFile: string, keyFile: string) => tlsErrorOf(loadOwnCertificate({ certFile, keyFile, now: NOW, log: recordingLog() }))

  t.equal(await load(file('missing.pem'), file('key.pem')), `TLS certificate ${file('missing.pem')}: cannot be read (ENOENT: no such file or directory)`)
  t.equal(await load(file('cert.pem'), file('missing.pem')), `TLS key ${file('missing.pem')}: cannot be read (ENOENT: no such file or directory)`)
  t.equal(await load(file('dir'), file('key.pem')), `TLS certificate ${file('dir')}: cannot be read (EISDIR: illegal operation on a directory)`)
  t.equal(await load(file('garbage.pem'), file('key.pem')), `TLS certificate ${file('garbage.pem')}: not a PEM certificate`)
  t.equal(await load(file('key.pem'), file('key.pem')), `TLS certificate ${file('key.pem')}: not a PEM certificate`)
  t.equal(
    await load(file('cert.pem'), file('garbage.pem')),
    `TLS key ${file('garbage.pem')}: not a PEM private key (or one encrypted with a passphrase, which is not supported)`,
  )
  t.equal(
    await load(file('cert.pem'), file('other-key.pem')),
    `TLS key ${file('other-key.pem')}: not the private key of the certificate in ${file('cert.pem')}`,
  )
})
