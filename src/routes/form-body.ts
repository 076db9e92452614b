import type { FastifyRequest } from 'fastify'
import { authenticateClient, type AuthenticatedClient } from '../clients/authenticate.js'
import { InvalidRequest } from '../errors/oauth-errors.js'
import type { Store } from '../store/store.js'
import { readParam } from '../util/form-params.js'

/** The parsed body as a parameter map; an absent body reads as no parameters. */
export const formBody = (request: FastifyRequest): Record<string, unknown> =>
  typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {}

/** A revocation or introspection request (RFC 7009 §2.1, RFC 7662 §2.1): the client, the token and its hint. */
export async function readTokenRequest(
  request: FastifyRequest,
  store: Store,
): Promise<AuthenticatedClient & { token: string; hint?: string }> {
  const body = formBody(request)
  const auth = await authenticateClient(store, request.headers.authorization, body)
  const token = readParam(body, 'token')
  if (token === undefined) throw new InvalidRequest('parameter token is required')
  return { ...auth, token, hint: readParam(body, 'token_type_hint') }
}
