// The development CA in <keys-dir>/tls/: made on first use and kept, so that a CA trusted once stays
// trusted. The server certificate it signs is re-issued, by the same CA, when it no longer names the
// issuer's host or is about to expire.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { fsCause } from '../keys/key-storage.js'
import { makeDirectory, NotADirectoryError } from '../util/make-directory.js'
import { createCaCertificate, generatePrivateKeyPem, issueServerCertificate } from './certificates.js'
import { developmentTlsPaths, type DevelopmentTlsPaths } from './paths.js'
import { createPemFileOnce, PRIVATE_MODE, PUBLIC_MODE, readPemFile, replaceFile } from './pem-files.js'
import { describeNames, serverNames, uncoveredName, type ServerName } from './server-names.js'
import { TlsError, type TlsLog } from './tls-error.js'
import type { TlsMaterial } from './tls-material.js'

const DAY = 24 * 60 * 60 * 1000
/** A server certificate with less left than this is re-issued at start. */
export const RENEW_BEFORE_DAYS = 30

export interface DevelopmentTlsOptions {
  keysDir: string
  issuer: string
  now: Date
  log: TlsLog
}

/** The server certificate and key to serve, made (with the CA) when missing; every process on one directory ends with the same files. */
export async function loadDevelopmentTls({ keysDir, issuer, now, log }: DevelopmentTlsOptions): Promise<TlsMaterial> {
  const paths = developmentTlsPaths(keysDir)
  await prepareDirectory(paths.dir)
  const startOver = `delete ${paths.dir} to make a new CA (and trust its ca.pem instead)`

  const caKeyFile = await loadOrCreate(paths.caKey, PRIVATE_MODE, generatePrivateKeyPem, log)
  const caKey = parsePrivateKey(paths.caKey, caKeyFile.text, startOver)
  const caFile = await loadOrCreate(paths.ca, PUBLIC_MODE, () => createCaCertificate(caKeyFile.text, now), log)
  const ca = checkCa(paths, caFile.text, caKey, now, startOver)
  if (caFile.created) log.info(`TLS: made a development CA, ${paths.ca}; trust it to connect without certificate warnings`)

  const serverKeyFile = await loadOrCreate(paths.serverKey, PRIVATE_MODE, generatePrivateKeyPem, log)
  const serverKey = parsePrivateKey(paths.serverKey, serverKeyFile.text, `delete it and ${paths.server} to make new ones`)
  const names = serverNames(issuer)
  const issue = () =>
    issueServerCertificate({ caPem: caFile.text, caKeyPem: caKeyFile.text, serverKeyPem: serverKeyFile.text, names, now })
  const whyReissue = (pem: string) => reasonToReissue(pem, ca, serverKey, names, now)
  const { cert, reissuedBecause } = await loadOrIssueServerCertificate(paths, issue, whyReissue, log)
  if (reissuedBecause !== undefined) log.info(`TLS: re-issued ${paths.server} for ${describeNames(names)}, as ${reissuedBecause}`)
  return { cert, key: serverKeyFile.text }
}

async function prepareDirectory(dir: string): Promise<void> {
  try {
    await makeDirectory(dir)
  } catch (err) {
    if (err instanceof NotADirectoryError) throw new TlsError(`${dir}: exists but is not a directory`)
    throw new TlsError(`${dir}: cannot create it (${fsCause(err)})`, { cause: err })
  }
}

/** The file's text; made and written when missing. When another process wrote it first, its text wins. */
async function loadOrCreate(
  file: string,
  mode: number,
  make: () => Promise<string>,
  log: TlsLog,
): Promise<{ text: string; created: boolean }> {
  const existing = await readPemFile(file, mode, log)
  if (existing !== undefined) return { text: existing, created: false }
  const made = await make()
  if (await createPemFileOnce(file, made, mode)) return { text: made, created: true }
  const winner = await readPemFile(file, mode, log)
  if (winner === undefined) throw new TlsError(`${file}: removed while Gatehouse was creating it`)
  return { text: winner, created: false }
}

/**
 * The server certificate on disk if it still fits, else a new one. When two processes both find none,
 * the first one written is kept; a replaced certificate is swapped in whole (rename), so readers never see half.
 */
async function loadOrIssueServerCertificate(
  paths: DevelopmentTlsPaths,
  issue: () => Promise<string>,
  whyReissue: (pem: string) => string | undefined,
  log: TlsLog,
): Promise<{ cert: string; reissuedBecause?: string }> {
  const current = await readPemFile(paths.server, PUBLIC_MODE, log)
  if (current === undefined) {
    const fresh = await issue()
    if (await createPemFileOnce(paths.server, fresh, PUBLIC_MODE)) return { cert: fresh }
    const winner = await readPemFile(paths.server, PUBLIC_MODE, log)
    if (winner !== undefined && whyReissue(winner) === undefined) return { cert: winner }
    await replaceFile(paths.server, fresh, PUBLIC_MODE)
    return { cert: fresh, reissuedBecause: 'the one written at the same time by another process does not fit' }
  }
  const reason = whyReissue(current)
  if (reason === undefined) return { cert: current }
  const fresh = await issue()
  await replaceFile(paths.server, fresh, PUBLIC_MODE)
  return { cert: fresh, reissuedBecause: reason }
}

function parsePrivateKey(file: string, pem: string, fix: string): KeyObject {
  try {
    return createPrivateKey(pem)
  } catch {
    throw new TlsError(`${file}: not a PEM private key; ${fix}`)
  }
}

function checkCa(paths: DevelopmentTlsPaths, pem: string, key: KeyObject, now: Date, startOver: string): X509Certificate {
  let cert: X509Certificate
  try {
    cert = new X509Certificate(pem)
  } catch {
    throw new TlsError(`${paths.ca}: not a PEM certificate; ${startOver}`)
  }
  if (!cert.ca || !cert.checkPrivateKey(key)) throw new TlsError(`${paths.ca}: not the CA certificate of ${paths.caKey}; ${startOver}`)
  const validTo = new Date(cert.validTo)
  if (validTo <= now) throw new TlsError(`${paths.ca}: expired on ${day(validTo)}; ${startOver}`)
  return cert
}

/** Why the server certificate must be re-issued, or undefined when it can be served as it is. */
function reasonToReissue(pem: string, ca: X509Certificate, key: KeyObject, names: readonly ServerName[], now: Date): string | undefined {
  let cert: X509Certificate
  try {
    cert = new X509Certificate(pem)
  } catch {
    return 'it is not a PEM certificate'
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'the CA in ca.pem did not issue it'
  if (!cert.checkPrivateKey(key)) return 'it is not the certificate of server-key.pem'
  const missing = uncoveredName(cert, names)
  if (missing !== undefined) return `it does not name ${missing}`
  if (new Date(cert.validFrom) > now) return `it is not valid before ${day(new Date(cert.validFrom))}`
  const validTo = new Date(cert.validTo)
  if (validTo.getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY) return `it expires on ${day(validTo)}`
  return undefined
}

const day = (date: Date) => date.toISOString().slice(0, 10)
