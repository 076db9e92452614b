import path from 'node:path'

/** Where the development CA and the server certificate it signs are kept, under the keys directory. */
export interface DevelopmentTlsPaths {
  dir: string
  /** the CA certificate: what clients and browsers are told to trust */
  ca: string
  caKey: string
  server: string
  serverKey: string
}

// Absolute, so that what the banner prints (NODE_EXTRA_CA_CERTS=…) works from any directory.
export function developmentTlsPaths(keysDir: string): DevelopmentTlsPaths {
  const dir = path.resolve(keysDir, 'tls')
  return {
    dir,
    ca: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca-key.pem'),
    server: path.join(dir, 'server.pem'),
    serverKey: path.join(dir, 'server-key.pem'),
  }
}
