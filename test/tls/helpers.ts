// Shared by this folder's tests: requests over real TLS, certificate fingerprints, exact TlsError messages.
import { X509Certificate } from 'node:crypto'
import { request } from 'node:https'
import type { PeerCertificate, TLSSocket } from 'node:tls'
import { TlsError } from '../../src/tls/tls-error.js'

export interface HttpsResponse {
  status: number
  body: string
  /** the certificate the server presented */
  peer: PeerCertificate
}

/** GET `url`, trusting `ca` only (not the system's roots); rejects when the certificate is not trusted. */
export function httpsGet(url: string, ca: string): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false }, (res) => {
      const peer = (res.socket as TLSSocket).getPeerCertificate()
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, peer }))
    })
    req.on('error', reject)
    req.end()
  })
}

export const fingerprintOf = (pem: string): string => new X509Certificate(pem).fingerprint256

/** The message of the TlsError `promise` rejects with; throws when it resolves or fails otherwise. */
export async function tlsErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof TlsError) return error.message
    throw error
  }
  throw new Error('expected a TlsError')
}

/** A TlsLog that keeps its lines, as "info: …" and "warn: …". */
export function recordingLog() {
  const lines: string[] = []
  return { lines, info: (msg: string) => void lines.push(`info: ${msg}`), warn: (msg: string) => void lines.push(`warn: ${msg}`) }
}
