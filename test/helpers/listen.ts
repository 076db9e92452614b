import type { FastifyInstance } from 'fastify'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import type { Test } from 'tap'
import type { Client, Config } from '../../src/config/types.js'
import { testConfig } from './tenant.js'
import { buildServerWithMadeKeys } from './made-keys.js'

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

export interface GatehouseOptions {
  /** Config fields to replace; issuer, host and port are set by startGatehouse. */
  config?: Partial<Config>
  /** Fields merged into test-tenant clients, by client_id. */
  clients?: Record<string, Partial<Client>>
}

export interface RunningGatehouse {
  app: FastifyInstance
  /** http://127.0.0.1:<port>/ */
  issuer: string
  port: number
}

/** Builds Gatehouse with the test tenant and a real clock, listening on 127.0.0.1; closed on teardown. */
export async function startGatehouse(t: Test, options: GatehouseOptions = {}): Promise<RunningGatehouse> {
  // The issuer must be known before build, so the port is chosen first (a rare race is retried).
  for (let attempt = 0; ; attempt++) {
    const port = await freePort()
    const issuer = `http://127.0.0.1:${port}/`
    const base = testConfig({ ...options.config, issuer, host: '127.0.0.1', port })
    const config: Config = {
      ...base,
      tenant: {
        ...base.tenant,
        clients: base.tenant.clients.map((c) => ({ ...c, ...options.clients?.[c.client_id] })),
      },
    }
    const app = await buildServerWithMadeKeys(config, { logger: false })
    try {
      await app.listen({ host: '127.0.0.1', port })
    } catch (err) {
      await app.close()
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 3) continue
      throw err
    }
    t.teardown(() => app.close())
    return { app, issuer, port }
  }
}

/** Client fields pointing callbacks, web origins and logout URLs at an app origin. */
export const clientAt = (origin: string): Partial<Client> => ({
  callbacks: [`${origin}/callback`],
  web_origins: [origin],
  allowed_logout_urls: [`${origin}/`],
})

export interface AppRoute {
  path: string
  contentType: string
  body: string | Buffer
}

export interface AppServer {
  /** http://127.0.0.1:<port>, no trailing slash */
  origin: string
  /** Adds or replaces a route (exact path match, query and fragment ignored). */
  route(route: AppRoute): void
}

const CALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Callback</title></head>
<body><h1>Callback</h1><p id="status">Signed in.</p></body></html>
`

/** A tiny static app on 127.0.0.1 serving /callback and any added routes; closed on teardown. */
export async function startAppServer(t: Test, routes: AppRoute[] = []): Promise<AppServer> {
  const table = new Map<string, AppRoute>()
  const route = (r: AppRoute) => void table.set(r.path, r)
  route({ path: '/callback', contentType: 'text/html; charset=utf-8', body: CALLBACK_PAGE })
  routes.forEach(route)

  const server = createHttpServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://app.invalid').pathname
    const found = req.method === 'GET' || req.method === 'HEAD' ? table.get(path) : undefined
    if (!found) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n')
      return
    }
    res.writeHead(200, { 'Content-Type': found.contentType, 'Cache-Control': 'no-store' })
    res.end(req.method === 'HEAD' ? undefined : found.body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  )
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, route }
}
