/** The keys directory or a key in it cannot be used; the message is one line for the user. */
export class KeystoreError extends Error {
  override name = 'KeystoreError'
}

export interface KeystoreLog {
  info(msg: string): void
  warn(msg: string): void
}
