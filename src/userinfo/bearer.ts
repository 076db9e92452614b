// Reads a bearer token from a request the ways RFC 6750 §2 allows, and writes the §3 challenge.
import { InvalidRequest, type OAuthError } from '../errors/oauth-errors.js'
import { readParam } from '../util/form-params.js'

export const REALM = 'gatehouse'

export interface BearerRequest {
  authorization: string | undefined
  /** the parsed body, or undefined for GET */
  body: unknown
  /** the body was sent as application/x-www-form-urlencoded (RFC 6750 §2.2) */
  formEncoded: boolean
  query: unknown
}

// b64token (RFC 6750 §2.1)
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/** The access token, or undefined when the request carries none (RFC 6750 §3.1: then no error code is sent). */
export function readBearerToken(request: BearerRequest): string | undefined {
  // Tokens in URLs end up in logs and Referer headers; Auth0 refuses them too (RFC 6750 §2.3 is optional).
  if (hasParam(request.query, 'access_token')) {
    throw new InvalidRequest('access_token in the URL query is not accepted; send it in the Authorization header')
  }
  const fromHeader = request.authorization?.trim() ? parseAuthorization(request.authorization) : undefined
  let fromBody: string | undefined
  if (hasParam(request.body, 'access_token')) {
    if (!request.formEncoded) {
      throw new InvalidRequest('access_token in the body needs Content-Type application/x-www-form-urlencoded')
    }
    fromBody = readParam(request.body, 'access_token')
  }
  if (fromHeader !== undefined && fromBody !== undefined) {
    throw new InvalidRequest('send the access token one way only, not in both the Authorization header and the body')
  }
  const token = fromHeader ?? fromBody
  if (token !== undefined && !B64TOKEN.test(token)) throw new InvalidRequest('the access token is malformed')
  return token
}

/**
 * WWW-Authenticate value: bare when no token was sent, else with the error (RFC 6750 §3), and the
 * scope the resource needs when there is one (insufficient_scope).
 */
export function bearerChallenge(error?: OAuthError, opts: { realm?: string; scope?: string } = {}): string {
  const realm = `Bearer realm="${opts.realm ?? REALM}"`
  if (error === undefined) return realm
  const scope = opts.scope === undefined ? '' : `, scope="${opts.scope}"`
  return `${realm}, error="${error.error}", error_description="${quotable(error.message)}"${scope}`
}

/** undefined for another scheme: that is no bearer credential at all (RFC 6750 §3.1). */
function parseAuthorization(header: string): string | undefined {
  const [scheme = '', ...rest] = header.trim().split(/\s+/)
  if (scheme.toLowerCase() !== 'bearer') return undefined
  if (rest.length !== 1) throw new InvalidRequest('the Authorization header must hold exactly one token after Bearer')
  return rest[0]!
}

function hasParam(source: unknown, name: string): boolean {
  return source !== null && typeof source === 'object' && (source as Record<string, unknown>)[name] !== undefined
}

// error_description may not hold '"' or '\' (RFC 6750 §3), and jose's messages quote claim names.
const quotable = (text: string) => text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?')
