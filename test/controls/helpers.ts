// A Gatehouse with the test controls on, and requests to <issuer>_gatehouse/.
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import type { Config } from '../../src/config/types.js'
import type { EventLog } from '../../src/events/event-log.js'
import { createMemoryStore } from '../../src/store/index.js'
import { fakeClock } from '../helpers/server.js'
import { testConfig } from '../helpers/tenant.js'
import { buildServerWithMadeKeys } from '../helpers/made-keys.js'

/**
 * Builds Gatehouse with --test-controls and a fake base clock. The server opens its own memory store, on
 * the clock the controls move; `withStore` hands the test a store to read instead, whose entries expire
 * by the base clock (for tests that do not move the clock).
 */
export async function buildControlledServer(t: Test, config: Partial<Config> = {}, opts: { withStore?: boolean; events?: EventLog } = {}) {
  const clock = fakeClock()
  const store = opts.withStore ? createMemoryStore({ clock }) : undefined
  const app = await buildServerWithMadeKeys(testConfig({ testControls: true, ...config }), { clock, logger: false, store, events: opts.events })
  t.teardown(async () => {
    await app.close()
    await store?.close()
  })
  return { app, clock, store: store!, controls: controlsOf(app) }
}

/** JSON requests to the test controls. */
export function controlsOf(app: FastifyInstance) {
  const send = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, query?: Record<string, string>) =>
    app.inject({
      method,
      url: `/_gatehouse/${path}${query === undefined ? '' : `?${new URLSearchParams(query)}`}`,
      ...(body === undefined ? {} : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    })
  return {
    get: (path: string, query?: Record<string, string>) => send('GET', path, undefined, query),
    post: (path: string, body?: unknown) => send('POST', path, body),
    delete: (path: string) => send('DELETE', path),
    /** queues a scenario; throws unless it was accepted */
    async queue(body: unknown): Promise<{ id: string }> {
      const res = await send('POST', 'scenarios', body)
      if (res.statusCode !== 201) throw new Error(`scenario refused: ${res.statusCode} ${res.body}`)
      return res.json()
    },
  }
}

export { answer } from '../management/helpers.js'
