/** What node:https serves: PEM text of the certificate (chain) and its private key. */
export interface TlsMaterial {
  cert: string
  key: string
}
