// X.509 certificates for the signing keys, as Auth0's Management API shows them: self-signed by the key,
// PEM with CRLF line ends, the same certificate in PKCS #7, and its SHA-1 fingerprint. Made only when
// asked for (the x509 library loads then), and made once per key: kept-certificates.ts keeps them.
import { createHash } from 'node:crypto'
import type { CryptoKey, JWK } from 'jose'
import type { SigningAlg } from '../config/types.js'
import { loadX509 } from '../tls/x509.js'

const DAY = 24 * 60 * 60 * 1000
const CERTIFICATE_VALIDITY_DAYS = 3650

const ALGORITHMS: Record<SigningAlg, { key: RsaHashedImportParams | EcKeyImportParams; signing: Algorithm & { hash?: string } }> = {
  RS256: { key: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, signing: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
  ES256: { key: { name: 'ECDSA', namedCurve: 'P-256' }, signing: { name: 'ECDSA', hash: 'SHA-256' } },
}

export interface CertificateRequest {
  alg: SigningAlg
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
  /** the subject's (and issuer's) CN, as Auth0's names the tenant: the issuer's host */
  commonName: string
  /** valid from (the key's creation), ms since the epoch */
  notBefore: number
}

/** A self-signed certificate for the key, PEM. The serial number comes from the kid, so nothing random goes in. */
export async function createKeyCertificate(request: CertificateRequest): Promise<string> {
  const { BasicConstraintsExtension, KeyUsageFlags, KeyUsagesExtension, X509CertificateGenerator } = await loadX509()
  const { alg, kid, privateKey, publicJwk, commonName, notBefore } = request
  const publicKey = await crypto.subtle.importKey('jwk', publicOnly(publicJwk), ALGORITHMS[alg].key, true, ['verify'])
  const cert = await X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serialNumberOf(kid),
      name: `CN=${commonName.replace(/[,+="\\<>;#]/g, '\\$&')}`,
      notBefore: new Date(notBefore),
      notAfter: new Date(notBefore + CERTIFICATE_VALIDITY_DAYS * DAY),
      keys: { privateKey: privateKey as globalThis.CryptoKey, publicKey },
      signingAlgorithm: ALGORITHMS[alg].signing,
      extensions: [new BasicConstraintsExtension(false, undefined, true), new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true)],
    },
    crypto,
  )
  return withCrlf(cert.toString('pem'))
}

export interface CertificateForms {
  /** the certificate in a PKCS #7 (certs-only) envelope, PEM */
  pkcs7: string
  /** SHA-1 of the DER, upper-case hex in colon-separated pairs */
  fingerprint: string
  /** the same SHA-1, without colons */
  thumbprint: string
}

export async function certificateForms(pem: string): Promise<CertificateForms> {
  const { X509Certificate, X509Certificates } = await loadX509()
  const cert = new X509Certificate(pem)
  const thumbprint = createHash('sha1').update(Buffer.from(cert.rawData)).digest('hex').toUpperCase()
  return {
    // The library labels it CMS; Auth0 (and OpenSSL) say PKCS7.
    pkcs7: withCrlf(new X509Certificates([cert]).export('pem').replace(/-----(BEGIN|END) CMS-----/g, '-----$1 PKCS7-----')),
    fingerprint: thumbprint.replace(/(..)(?!$)/g, '$1:'),
    thumbprint,
  }
}

// 16 bytes of the kid's SHA-256, the first in 0x40–0x7f: positive and 16 bytes long in DER (RFC 5280 §4.1.2.2).
function serialNumberOf(kid: string): string {
  const bytes = createHash('sha256').update(kid).digest().subarray(0, 16)
  bytes[0] = (bytes[0]! & 0x3f) | 0x40
  return bytes.toString('hex')
}

function publicOnly(jwk: JWK): JsonWebKey {
  const { kty, n, e, crv, x, y } = jwk
  return Object.fromEntries(Object.entries({ kty, n, e, crv, x, y }).filter(([, v]) => v !== undefined)) as JsonWebKey
}

/** Auth0 answers PEM with CRLF line ends. */
const withCrlf = (pem: string) => pem.replace(/\r?\n/g, '\r\n').replace(/(\r\n)+$/, '')
