// SIGTERM and SIGINT close Gatehouse gracefully, within a deadline: a stalled client must not keep
// a container from stopping. A second signal exits at once.
import type { FastifyInstance } from 'fastify'

/** How long requests in flight may take to finish once a signal came. */
export const SHUTDOWN_GRACE_MS = 5_000
/** How long closing may take after their connections were cut. */
const AFTER_FORCE_MS = 2_000

/** Ends the process; a message means something went wrong and is printed as one line. */
export type Exit = (code: number, message?: string) => never

export function closeOnSignals(app: FastifyInstance, exit: Exit): void {
  let closing = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) exit(1, `${signal} again, exiting without waiting`)
    closing = true
    app.log.info(`${signal} received, closing`)
    // Idle keep-alive connections are closed by app.close() itself; these are requests in flight.
    const cutConnections = () => {
      app.log.warn(`requests still open ${SHUTDOWN_GRACE_MS / 1000} s after ${signal}; closing their connections`)
      app.server.closeAllConnections()
      const seconds = (SHUTDOWN_GRACE_MS + AFTER_FORCE_MS) / 1000
      setTimeout(() => exit(1, `could not close within ${seconds} s of ${signal}; exiting`), AFTER_FORCE_MS).unref()
    }
    setTimeout(cutConnections, SHUTDOWN_GRACE_MS).unref()
    app.close().then(
      () => exit(0),
      (error: unknown) => exit(1, `error while closing: ${error instanceof Error ? error.message : String(error)}`),
    )
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)
}
