// The development CA and the server certificates it signs, checked with node:crypto (and the CA's
// extensions with @peculiar/x509, which reads them).
import { X509Certificate, createPrivateKey } from 'node:crypto'
import t from 'tap'
import { createCaCertificate, generatePrivateKeyPem, issueServerCertificate } from '../../src/tls/certificates.js'
import { serverNames } from '../../src/tls/server-names.js'
import { loadX509 } from '../../src/tls/x509.js'

const { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, X509Certificate: Parsed } = await loadX509()

const NOW = new Date('2025-03-01T12:00:00.000Z')
const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR

async function makeCa() {
  const caKeyPem = await generatePrivateKeyPem()
  const caPem = await createCaCertificate(caKeyPem, NOW)
  return { caKeyPem, caPem, ca: new X509Certificate(caPem) }
}

async function makeServer(issuer: string) {
  const { caKeyPem, caPem, ca } = await makeCa()
  const serverKeyPem = await generatePrivateKeyPem()
  const pem = await issueServerCertificate({ caPem, caKeyPem, serverKeyPem, names: serverNames(issuer), now: NOW })
  return { ca, caKeyPem, serverKeyPem, cert: new X509Certificate(pem) }
}

t.test('keys are ECDSA P-256, PKCS#8 PEM', async (t) => {
  const pem = await generatePrivateKeyPem()
  t.match(pem, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/)
  const key = createPrivateKey(pem)
  t.equal(key.asymmetricKeyType, 'ec')
  t.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1')
})

t.test('the CA: self-signed, a CA that may sign certificates (and no CA under it), valid for 10 years', async (t) => {
  const { caKeyPem, caPem, ca } = await makeCa()
  t.equal(ca.ca, true, 'basicConstraints cA')
  t.ok(ca.checkIssued(ca), 'self-issued')
  t.ok(ca.verify(ca.publicKey), 'self-signed')
  t.ok(ca.checkPrivateKey(createPrivateKey(caKeyPem)), 'for the key given')
  t.match(ca.subject, /^CN=Gatehouse development CA [0-9a-f]{8}\nO=Gatehouse$/)
  t.equal(new Date(ca.validFrom).getTime(), NOW.getTime() - HOUR, 'back-dated an hour, for clients a little behind')
  t.equal(new Date(ca.validTo).getTime(), NOW.getTime() + 3650 * DAY)

  const parsed = new Parsed(caPem)
  const constraints = parsed.getExtension(BasicConstraintsExtension)
  t.same({ ca: constraints?.ca, pathLength: constraints?.pathLength, critical: constraints?.critical }, { ca: true, pathLength: 0, critical: true })
  const usages = parsed.getExtension(KeyUsagesExtension)
  t.equal(usages?.usages, KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign)
  t.equal(usages?.critical, true)
})

t.test('two CAs have different names: certificate stores keep one entry per name', async (t) => {
  const [a, b] = await Promise.all([makeCa(), makeCa()])
  t.not(a.ca.subject, b.ca.subject)
  t.not(a.ca.serialNumber, b.ca.serialNumber)
})

t.test('the server certificate: chains to the CA, serverAuth only, for exactly the local names and the issuer host', async (t) => {
  const { ca, serverKeyPem, cert } = await makeServer('https://auth.example.test:8443/tenant/')
  t.ok(cert.checkIssued(ca), 'issued by the CA')
  t.ok(cert.verify(ca.publicKey), 'signed by the CA key')
  t.notOk(cert.verify(cert.publicKey), 'not self-signed')
  t.equal(cert.ca, false)
  t.ok(cert.checkPrivateKey(createPrivateKey(serverKeyPem)))
  t.equal(cert.issuer, ca.subject)
  t.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:auth.example.test')
  t.same(cert.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extendedKeyUsage serverAuth')
  t.equal(cert.checkHost('localhost'), 'localhost')
  t.equal(cert.checkHost('auth.example.test'), 'auth.example.test')
  t.equal(cert.checkHost('other.example.test'), undefined)
  t.equal(cert.checkIP('127.0.0.1'), '127.0.0.1')
  t.equal(cert.checkIP('::1'), '::1')
  t.equal(new Date(cert.validFrom).getTime(), NOW.getTime() - HOUR)
  t.equal(new Date(cert.validTo).getTime(), NOW.getTime() + 365 * DAY)
})

t.test('the issuer host as the name it is: localhost once, an IPv4 or IPv6 address as an IP', async (t) => {
  const local = 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1'
  t.equal((await makeServer('https://localhost:4000/')).cert.subjectAltName, local)
  t.equal((await makeServer('https://127.0.0.1:4000/')).cert.subjectAltName, local)
  t.equal((await makeServer('https://[::1]:4000/')).cert.subjectAltName, local)
  t.equal((await makeServer('https://192.168.1.20/')).cert.subjectAltName, `${local}, IP Address:192.168.1.20`)
  t.equal((await makeServer('https://[fd00::1]/')).cert.subjectAltName, `${local}, IP Address:FD00:0:0:0:0:0:0:1`)
  t.equal((await makeServer('https://Auth.Example.TEST/')).cert.subjectAltName, `${local}, DNS:auth.example.test`)
})

t.test('serverNames: in order, the issuer host last', async (t) => {
  t.same(serverNames('https://gatehouse.internal:4000/'), [
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
    { type: 'ip', value: '::1' },
    { type: 'dns', value: 'gatehouse.internal' },
  ])
  t.equal(serverNames('https://[::1]:4000/').length, 3)
})
