import { createHash, timingSafeEqual } from 'node:crypto'
import type { Client } from '../config/types.js'
import { InvalidClient, InvalidRequest } from '../errors/oauth-errors.js'
import type { Store } from '../store/store.js'
import { readParam } from '../util/form-params.js'

export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none'

export interface PresentedCredentials {
  clientId: string
  secret?: string
  method: AuthMethod
}

export interface AuthenticatedClient {
  client: Client
  method: AuthMethod
}

/** Reads client credentials from the Authorization header or the body (RFC 6749 §2.3.1); only one way at a time. */
function readClientCredentials(authorization: string | undefined, body: Record<string, unknown>): PresentedCredentials {
  const bodyId = readParam(body, 'client_id')
  const bodySecret = readParam(body, 'client_secret')
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    if (bodySecret !== undefined) throw new InvalidRequest('use one client authentication method, not both Basic and client_secret')
    const { id, secret } = decodeBasic(authorization.slice(6).trim())
    if (bodyId !== undefined && bodyId !== id) throw new InvalidRequest('client_id in the body differs from the Basic credentials')
    return { clientId: id, secret, method: 'client_secret_basic' }
  }
  if (bodyId === undefined) throw new InvalidClient('client authentication failed: no client_id given')
  return bodySecret === undefined
    ? { clientId: bodyId, method: 'none' }
    : { clientId: bodyId, secret: bodySecret, method: 'client_secret_post' }
}

/** Checks the request's client credentials against the registered client. Confidential clients may use Basic or post, as Auth0 allows. */
export async function authenticateClient(
  store: Store,
  authorization: string | undefined,
  body: Record<string, unknown>,
): Promise<AuthenticatedClient> {
  const presented = readClientCredentials(authorization, body)
  const client = await store.get<Client>('client', presented.clientId)
  if (!client) throw new InvalidClient(`client authentication failed: unknown client ${presented.clientId}`)
  if (client.token_endpoint_auth_method === 'none') {
    if (presented.method !== 'none') {
      throw new InvalidClient(`client ${client.client_id} is a public client and must not send a client secret`)
    }
    return { client, method: 'none' }
  }
  if (presented.method === 'none' || presented.secret === undefined) {
    throw new InvalidClient(`client ${client.client_id} must authenticate (client_secret_basic or client_secret_post)`)
  }
  if (!secretMatches(client.client_secret ?? '', presented.secret)) {
    throw new InvalidClient(`client authentication failed: wrong client_secret for ${client.client_id}`)
  }
  return { client, method: presented.method }
}

export const isConfidential = (client: Client): boolean => client.token_endpoint_auth_method !== 'none'

function decodeBasic(encoded: string): { id: string; secret: string } {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 1) throw new InvalidClient('client authentication failed: malformed Basic credentials')
  try {
    // Each part is form-urlencoded before base64 (RFC 6749 §2.3.1).
    const unescape = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '))
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) }
  } catch {
    throw new InvalidClient('client authentication failed: malformed Basic credentials')
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest()

const secretMatches = (expected: string, given: string): boolean => timingSafeEqual(digest(expected), digest(given))
