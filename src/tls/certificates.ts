// Makes the development CA and the server certificates it signs (@peculiar/x509 on Node's WebCrypto).
// Keys and certificates go in and out as PEM text, as they are kept on disk and given to node:https.
import { createPrivateKey, createPublicKey } from 'node:crypto'
import type { ServerName } from './server-names.js'
import { loadX509 } from './x509.js'

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const
const SIGNING = { ...EC_P256, hash: 'SHA-256' } as const

const DAY = 24 * 60 * 60 * 1000
export const CA_VALIDITY_DAYS = 3650
export const SERVER_VALIDITY_DAYS = 365
// A client whose clock is a little behind still accepts a certificate made a moment ago.
const BACKDATE = 60 * 60 * 1000

/** A new ECDSA P-256 private key, PKCS#8 PEM. */
export async function generatePrivateKeyPem(): Promise<string> {
  const keys = await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])
  return toPem(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY')
}

/** A self-signed CA certificate for the key: it may sign certificates, and nothing under it may sign more. */
export async function createCaCertificate(caKeyPem: string, now: Date): Promise<string> {
  const { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, SubjectKeyIdentifierExtension, X509CertificateGenerator } =
    await loadX509()
  const keys = await importKeyPair(caKeyPem)
  const serialNumber = newSerialNumber()
  const cert = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber,
      // Certificate stores keep one entry per name: each CA gets a name of its own.
      name: `CN=Gatehouse development CA ${serialNumber.slice(0, 8)}, O=Gatehouse`,
      notBefore: new Date(now.getTime() - BACKDATE),
      notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY),
      keys,
      signingAlgorithm: SIGNING,
      extensions: [
        new BasicConstraintsExtension(true, 0, true),
        new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
        await SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  )
  return cert.toString('pem')
}

export interface ServerCertificateRequest {
  caPem: string
  caKeyPem: string
  serverKeyPem: string
  names: readonly ServerName[]
  now: Date
}

/** A server certificate for `names`, signed by the CA: TLS server authentication only. */
export async function issueServerCertificate(request: ServerCertificateRequest): Promise<string> {
  const x509 = await loadX509()
  const { AuthorityKeyIdentifierExtension, BasicConstraintsExtension, ExtendedKeyUsage, ExtendedKeyUsageExtension } = x509
  const { KeyUsageFlags, KeyUsagesExtension, SubjectAlternativeNameExtension, SubjectKeyIdentifierExtension } = x509
  const { X509Certificate, X509CertificateGenerator } = x509
  const { caPem, caKeyPem, serverKeyPem, names, now } = request
  const ca = new X509Certificate(caPem)
  const caKeys = await importKeyPair(caKeyPem)
  const serverKeys = await importKeyPair(serverKeyPem)
  const cert = await X509CertificateGenerator.create(
    {
      serialNumber: newSerialNumber(),
      subject: `CN=${names.at(-1)?.value ?? 'localhost'}, O=Gatehouse`,
      issuer: ca.subject,
      notBefore: new Date(now.getTime() - BACKDATE),
      notAfter: new Date(now.getTime() + SERVER_VALIDITY_DAYS * DAY),
      signingKey: caKeys.privateKey,
      publicKey: serverKeys.publicKey,
      signingAlgorithm: SIGNING,
      extensions: [
        new BasicConstraintsExtension(false, undefined, true),
        new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
        new ExtendedKeyUsageExtension([ExtendedKeyUsage.serverAuth]),
        new SubjectAlternativeNameExtension(names.map((name) => ({ ...name }))),
        await AuthorityKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
        await SubjectKeyIdentifierExtension.create(serverKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  )
  return cert.toString('pem')
}

/** WebCrypto keys for a PEM private key; the public half is derived by node:crypto (WebCrypto cannot). */
async function importKeyPair(privateKeyPem: string): Promise<CryptoKeyPair> {
  const privateKey = createPrivateKey(privateKeyPem)
  const pkcs8 = new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' }))
  const spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }))
  return {
    privateKey: await crypto.subtle.importKey('pkcs8', pkcs8, EC_P256, false, ['sign']),
    publicKey: await crypto.subtle.importKey('spki', spki, EC_P256, true, ['verify']),
  }
}

// 16 random bytes, the first in 0x40–0x7f: positive, and always 16 bytes long in DER (RFC 5280 §4.1.2.2).
function newSerialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0]! & 0x3f) | 0x40
  return Buffer.from(bytes).toString('hex')
}

function toPem(der: ArrayBuffer, label: string): string {
  const base64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`
}
