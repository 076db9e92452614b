// What node:https serves under config.tls: the user's own certificate, or one from the development CA.
import type { Config } from '../config/types.js'
import { loadOwnCertificate } from './own-certificate.js'
import type { TlsLog } from './tls-error.js'
import type { TlsMaterial } from './tls-material.js'

export interface LoadTlsOptions {
  now: Date
  log: TlsLog
}

/** undefined when the config says plain HTTP. */
export async function loadTls(config: Config, { now, log }: LoadTlsOptions): Promise<TlsMaterial | undefined> {
  const tls = config.tls
  if (tls === undefined) return undefined
  if (tls.kind === 'own-certificate') return loadOwnCertificate({ certFile: tls.certFile, keyFile: tls.keyFile, now, log })
  // Imported only when used: the certificate library would otherwise add to every cold start.
  const { loadDevelopmentTls } = await import('./development-ca.js')
  return loadDevelopmentTls({ keysDir: config.keysDir, issuer: config.issuer, now, log })
}
