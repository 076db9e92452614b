// The two ways a store fails: at start (the user must fix something) and while running (it may come back).

/** The store cannot be opened: wrong URL, unreachable database, unwritable file, unknown schema. Exit 2. */
export class StoreError extends Error {
  override name = 'StoreError'
}

/** Seconds a client is told to wait (Retry-After) when the store could not answer. */
export const STORE_RETRY_AFTER_SECONDS = 5

/** The store could not answer this request (database down, busy or too slow); later ones may succeed. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}

export function messageOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? ''
}
