// The facts of an HTTP request that the token plan's stages may read (Auth0's `event.request`).
import type { FastifyRequest } from 'fastify'
import type { RequestFacts } from '../tokens/plan.js'

// Never handed to user code: what proves who the caller is.
const SECRET_PARAMS = new Set(['client_secret', 'password', 'code', 'code_verifier', 'refresh_token', 'client_assertion', 'id_token_hint'])

export function requestFacts(request: FastifyRequest, query?: Record<string, unknown>): RequestFacts {
  const facts: RequestFacts = {
    ip: request.ip,
    hostname: request.hostname,
    method: request.method,
    query: singleStrings(query ?? request.query),
    body: singleStrings(request.method === 'POST' ? request.body : undefined),
  }
  const userAgent = request.headers['user-agent']
  if (userAgent !== undefined) facts.user_agent = userAgent
  const language = request.headers['accept-language']?.split(',')[0]?.split(';')[0]?.trim()
  if (language) facts.language = language
  return facts
}

function singleStrings(source: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (source === null || typeof source !== 'object') return out
  for (const [name, value] of Object.entries(source)) {
    if (typeof value === 'string' && !SECRET_PARAMS.has(name)) out[name] = value
  }
  return out
}
