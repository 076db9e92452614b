// Helpers for the code flow and POST /oauth/token tests.
import { createHash } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose'
import type { Config } from '../../src/config/types.js'
import { createMemoryStore } from '../../src/store/index.js'
import { buildTestServer, fakeClock, jwksOf, queryOf, signIn } from './server.js'
import { CALLBACK, ISSUER } from './tenant.js'

/** iat of every token minted at the fake clock's start */
export const IAT = 1_700_000_000

/** RFC 7636 Appendix B */
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

export const BACKEND_SECRET = 'backend-secret'

/** A test server whose store the test can read. */
export async function buildServerWithStore(t: Test, config: Partial<Config> = {}, clock = fakeClock()) {
  const store = createMemoryStore({ clock })
  const { app } = await buildTestServer(t, config, clock, { store })
  return { app, clock, store }
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
export const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2)

/** client_secret_basic (RFC 6749 §2.3.1): each part form-encoded, then base64. */
export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`

export const backendBasic = basicAuth('backend', BACKEND_SECRET)

/** POST /oauth/token with a form body (or JSON when asked), optionally with an Authorization header. */
export function postToken(
  app: FastifyInstance,
  params: Record<string, string>,
  opts: { authorization?: string; json?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {
    'content-type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded',
  }
  if (opts.authorization !== undefined) headers.authorization = opts.authorization
  const payload = opts.json ? JSON.stringify(params) : new URLSearchParams(params).toString()
  return app.inject({ method: 'POST', url: '/oauth/token', payload, headers })
}

/** Default authorization request for the public SPA `organizer`, with PKCE. */
export const organizerRequest = (extra: Record<string, string> = {}): Record<string, string> => ({
  client_id: 'organizer',
  response_type: 'code',
  redirect_uri: CALLBACK,
  scope: 'openid profile',
  state: 'st-1',
  nonce: 'n-1',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  ...extra,
})

/** Signs in through /authorize (response_mode query) and returns the authorization code. */
export async function obtainCode(
  app: FastifyInstance,
  params: Record<string, string>,
  opts: { username?: string; password?: string } = {},
): Promise<string> {
  const { res } = await signIn(app, params, opts)
  const location = res.headers.location
  if (res.statusCode !== 303 || typeof location !== 'string') {
    throw new Error(`expected a redirect with a code, got ${res.statusCode}`)
  }
  const { code, error, error_description } = queryOf(location)
  if (code === undefined) throw new Error(`no code in ${location}: ${error} ${error_description}`)
  return code
}

/** The code flow for organizer up to the token response. */
export async function organizerTokens(app: FastifyInstance, extra: Record<string, string> = {}) {
  const request = organizerRequest(extra)
  const code = await obtainCode(app, request)
  const res = await postToken(app, {
    grant_type: 'authorization_code',
    client_id: 'organizer',
    code,
    redirect_uri: request.redirect_uri!,
    code_verifier: VERIFIER,
  })
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`)
  return res.json() as Record<string, string>
}

/** base64url of the left half of SHA-256 (at_hash / c_hash for RS256, OIDC Core §3.3.2.11). */
export const leftHalfSha256 = (value: string): string =>
  createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url')

/** Verifies a JWT against the server's JWKS and returns its payload. */
export async function verifiedClaims(app: FastifyInstance, token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, await jwksOf(app), { issuer: ISSUER, currentDate: new Date(IAT * 1000) })
  return payload
}

export { decodeJwt, decodeProtectedHeader }

/** The JSON error body of a response, with its status. */
export const errorOf = (res: LightMyRequestResponse) => ({ status: res.statusCode, ...(res.json() as Record<string, unknown>) })
