/** TLS material cannot be read, made or used; the message is one line for the user, naming the file. */
export class TlsError extends Error {
  override name = 'TlsError'
}

export interface TlsLog {
  info(msg: string): void
  warn(msg: string): void
}
