import type { FastifyPluginAsync } from 'fastify'
import { landingJson, landingModel } from '../playground/landing.js'
import type { RouteOptions } from './deps.js'
import { sendPage } from './pages.js'

/** GET <issuer>: an HTML page about this server and its tenant for browsers, a small JSON document for scripts. */
export const landingRoutes: FastifyPluginAsync<RouteOptions> = async (app, { deps }) => {
  app.get('/', async (request, reply) => {
    reply.header('Vary', 'Accept')
    if (!prefersHtml(request.headers.accept)) {
      return reply.header('Cache-Control', 'no-store').send(landingJson(deps.config))
    }
    const model = await landingModel(deps.config, deps.store)
    return sendPage(reply, 'landing', { title: 'Gatehouse', ...model })
  })
}

/**
 * HTML only when the client ranks text/html above application/json (RFC 9110 §12.5.1 q-values);
 * a bare `*` / `*` (curl) or no Accept header gets JSON.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false
  const quality = (type: string): number => {
    let best = 0
    let bestSpecificity = -1
    for (const part of accept.split(',')) {
      const [range = '', ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      const [main, sub] = range.trim().split('/')
      const specificity = range.trim() === type ? 2 : main === type.split('/')[0] && sub === '*' ? 1 : range.trim() === '*/*' ? 0 : -1
      if (specificity > bestSpecificity) {
        bestSpecificity = specificity
        best = q === undefined ? 1 : Number(q)
      }
    }
    return best
  }
  return quality('text/html') > quality('application/json')
}
