// `api.redirect.encodeToken` and `validateToken`: HS256 JWTs shared with the site an Action sends the
// user to. Auth0's methods are synchronous, so these are built on node:crypto rather than jose.
import { createHmac, timingSafeEqual } from 'node:crypto'

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')

const sign = (input: string, secret: string) => createHmac('sha256', secret).update(input).digest()

export interface EncodeInput {
  secret: string
  payload: Record<string, unknown>
  /** seconds since the epoch */
  now: number
  expiresInSeconds: number
  issuer: string
  subject?: string
}

/** A signed token carrying the Action's payload, who made it, for whom and until when. */
export function encodeSessionToken(input: EncodeInput): string {
  const claims: Record<string, unknown> = { ...input.payload, iat: input.now, iss: input.issuer, exp: input.now + input.expiresInSeconds }
  if (input.subject !== undefined) claims.sub = input.subject
  const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`
  return `${body}.${sign(body, input.secret).toString('base64url')}`
}

export interface ValidateInput {
  token: string
  secret: string
  /** seconds since the epoch */
  now: number
  /** the state of the paused login the token must name */
  state?: string
  /** the user the token must be about */
  subject?: string
}

const invalid = (why: string) => new Error(`The session token is invalid: ${why}`)

/** The payload of a token sent back to /continue, once its signature, lifetime, state and subject check out. */
export function validateSessionToken(input: ValidateInput): Record<string, unknown> {
  const parts = input.token.split('.')
  if (parts.length !== 3) throw invalid('it is not a JWT')
  const [header, body, signature] = parts as [string, string, string]
  const alg = parseJson(header)?.alg
  if (alg !== 'HS256') throw invalid(`expected an HS256 signature, got ${JSON.stringify(alg)}`)
  const expected = sign(`${header}.${body}`, input.secret)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('the signature does not match the secret')
  const claims = parseJson(body)
  if (claims === undefined) throw invalid('its payload is not a JSON object')
  const { iat, exp, iss, sub, state } = claims
  if (typeof iat !== 'number' || typeof exp !== 'number' || typeof iss !== 'string' || typeof sub !== 'string') {
    throw invalid('Missing or invalid standard claims (iat, exp, iss and sub are required)')
  }
  if (exp <= input.now) throw invalid('the token has expired')
  if (input.state !== undefined && state !== input.state) throw invalid('State in the token does not match the /continue state.')
  if (input.subject !== undefined && sub !== input.subject) throw invalid('Subject in the token does not match the user logging in.')
  return claims
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
