// Every successful write through the Management API, recorded as one event (for the timeline, the logs'
// readers and the test controls' feed), without touching the API's own routes.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { decodeJwt } from 'jose'
import type { EventLog } from '../events/event-log.js'

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** An onResponse hook for the whole app; `issuer` places the API at <issuer>api/v2/. */
export function recordManagementChanges(events: EventLog, issuer: string) {
  const base = `${new URL(issuer).pathname}api/v2/`
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (READS.has(request.method) || reply.statusCode < 200 || reply.statusCode >= 300) return
    const path = request.url.split('?')[0]!
    if (!path.startsWith(base)) return
    const params = (request.params ?? {}) as Record<string, unknown>
    const userId = /\/users\/:id(\/|$)/.test(request.routeOptions.url ?? '') && typeof params.id === 'string' ? params.id : undefined
    events.record({
      kind: 'management.changed',
      client_id: callerOf(request.headers.authorization),
      user_id: userId,
      summary: `Management API: ${request.method} ${path.slice(base.length - 1)} answered ${reply.statusCode}`,
    })
  }
}

/** The client whose token made the change (the API verified it before answering 2xx). */
function callerOf(authorization: string | undefined): string | undefined {
  const token = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1]
  if (token === undefined) return undefined
  try {
    const { azp, client_id: clientId } = decodeJwt(token)
    const caller = azp ?? clientId
    return typeof caller === 'string' ? caller : undefined
  } catch {
    return undefined
  }
}
