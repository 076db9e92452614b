// The user's own certificate and key (--tls-cert, --tls-key): read at start and checked to belong together.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { fsCause } from '../keys/key-storage.js'
import { TlsError, type TlsLog } from './tls-error.js'
import type { TlsMaterial } from './tls-material.js'

export interface OwnCertificateOptions {
  certFile: string
  keyFile: string
  now: Date
  log: TlsLog
}

export async function loadOwnCertificate({ certFile, keyFile, now, log }: OwnCertificateOptions): Promise<TlsMaterial> {
  const cert = await readText(certFile, 'TLS certificate')
  const key = await readText(keyFile, 'TLS key')
  const certificate = parseCertificate(certFile, cert)
  const privateKey = parsePrivateKey(keyFile, key)
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsError(`TLS key ${keyFile}: not the private key of the certificate in ${certFile}`)
  }
  // Served all the same: a test may mean to show what clients do with an expired certificate.
  const validTo = new Date(certificate.validTo)
  if (validTo <= now) log.warn(`TLS certificate ${certFile} expired on ${validTo.toISOString()}; clients will refuse it`)
  return { cert, key }
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    throw new TlsError(`${what} ${file}: cannot be read (${fsCause(err)})`, { cause: err })
  }
}

const FIRST_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/

/** The first certificate of the file: the server's (any that follow are its chain, which node:crypto would not parse). */
function parseCertificate(file: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(FIRST_CERTIFICATE.exec(pem)?.[0] ?? pem)
  } catch {
    throw new TlsError(`TLS certificate ${file}: not a PEM certificate`)
  }
}

function parsePrivateKey(file: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem)
  } catch {
    throw new TlsError(`TLS key ${file}: not a PEM private key (or one encrypted with a passphrase, which is not supported)`)
  }
}
