import fastifyCors, { type FastifyCorsOptions } from '@fastify/cors'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { isAllowedWebOrigin } from '../cors/web-origins.js'
import type { RouteOptions } from './deps.js'

export interface CorsScopeOptions extends RouteOptions {
  /** route plugins whose endpoints browsers may call cross-origin; each is registered with { deps } */
  routes: readonly FastifyPluginAsync<RouteOptions>[]
}

const CORS: FastifyCorsOptions = {
  methods: ['GET', 'POST'],
  allowedHeaders: ['Content-Type', 'Authorization', 'Auth0-Client'],
  credentials: true,
}

/**
 * CORS for the given routes only, for origins listed in some client's web_origins; every other
 * origin gets no CORS headers. Vary: Origin is always sent, since the answer depends on it.
 */
export const corsScope: FastifyPluginAsync<CorsScopeOptions> = async (app, { deps, routes }) => {
  // @fastify/cors answers preflights through one OPTIONS * route, which matches every path of the
  // app; only paths registered in this scope may pass.
  const paths = new Set<string>()
  app.addHook('onRoute', (route) => {
    if (route.url !== '*') paths.add(route.url)
  })
  const allowedOrigin = async (request: FastifyRequest): Promise<string | false> => {
    const origin = request.headers.origin
    if (origin === undefined) return false
    if (request.method === 'OPTIONS' && !paths.has(request.url.split('?')[0]!)) return false
    return (await isAllowedWebOrigin(deps.store, origin)) ? origin : false
  }
  await app.register(fastifyCors, { delegator: async (request: FastifyRequest) => ({ ...CORS, origin: await allowedOrigin(request) }) })
  for (const plugin of routes) await app.register(plugin, { deps })
}
