import type { FastifyRequest } from 'fastify'

/** The parsed body as a parameter map; an absent body reads as no parameters. */
export const formBody = (request: FastifyRequest): Record<string, unknown> =>
  typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {}
