// Tokens for tests: the code flow and POST /oauth/token, implicit-flow tokens, and refresh tokens put straight into the store.
import { createHash } from 'node:crypto'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { jwtVerify, type JWTPayload } from 'jose'
import type { RefreshTokenRecord } from '../../src/grants/records.js'
import type { Store } from '../../src/store/store.js'
import { fragmentOf, jwksOf, NOW, queryOf, signIn } from './server.js'
import { CALLBACK, ISSUER } from './tenant.js'

/** The fake clock's start in seconds: iat of every token minted then. */
export const NOW_SECONDS = NOW / 1000

/** RFC 7636 Appendix B */
export const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
export const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

export const BACKEND_SECRET = 'backend-secret'

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
export const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2)

/** client_secret_basic (RFC 6749 §2.3.1): each part form-encoded, then base64. */
export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`

/** Authorization header of the confidential client backend. */
export const BACKEND_BASIC = basicAuth('backend', BACKEND_SECRET)

/** POST to an OAuth endpoint with a form body (or JSON when asked), optionally with an Authorization header. */
export function postOAuth(
  app: FastifyInstance,
  url: string,
  params: Record<string, string>,
  opts: { authorization?: string; json?: boolean } = {},
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {
    'content-type': opts.json ? 'application/json' : 'application/x-www-form-urlencoded',
  }
  if (opts.authorization !== undefined) headers.authorization = opts.authorization
  const payload = opts.json ? JSON.stringify(params) : new URLSearchParams(params).toString()
  return app.inject({ method: 'POST', url, payload, headers })
}

/** POST /oauth/token. */
export const postToken = (app: FastifyInstance, params: Record<string, string>, opts: { authorization?: string; json?: boolean } = {}) =>
  postOAuth(app, '/oauth/token', params, opts)

/** GET /userinfo with a bearer token. */
export const getUserinfo = (app: FastifyInstance, accessToken: string) =>
  app.inject({ url: '/userinfo', headers: { authorization: `Bearer ${accessToken}` } })

/** Token request exchanging organizer's code (from organizerRequest) with the PKCE verifier. */
export const codeGrant = (code: string, extra: Record<string, string> = {}): Record<string, string> => ({
  grant_type: 'authorization_code',
  client_id: 'organizer',
  code,
  redirect_uri: CALLBACK,
  code_verifier: VERIFIER,
  ...extra,
})

/** Token request refreshing as organizer. */
export const refreshGrant = (refreshToken: string, extra: Record<string, string> = {}): Record<string, string> => ({
  grant_type: 'refresh_token',
  client_id: 'organizer',
  refresh_token: refreshToken,
  ...extra,
})

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
  const res = await postToken(app, codeGrant(code, { redirect_uri: request.redirect_uri! }))
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`)
  return res.json() as Record<string, string>
}

/** Implicit request for organizer: an API access token and an ID token. */
export const IMPLICIT = {
  client_id: 'organizer',
  redirect_uri: CALLBACK,
  response_type: 'token id_token',
  scope: 'openid profile email',
  audience: 'appointments:api',
  nonce: 'n',
  state: 's',
}

/** Signs alice in through the implicit flow; returns the tokens and the session cookie. */
export async function implicitTokens(app: FastifyInstance, params: Record<string, string> = {}) {
  const { res, cookie } = await signIn(app, { ...IMPLICIT, ...params })
  const fragment = fragmentOf(String(res.headers.location))
  if (!fragment.access_token && !fragment.id_token) throw new Error(`no tokens in ${res.headers.location}`)
  return { accessToken: fragment.access_token!, idToken: fragment.id_token!, cookie }
}

export function refreshRecord(fields: Partial<RefreshTokenRecord> = {}): RefreshTokenRecord {
  return {
    clientId: 'backend',
    sub: 'auth0|alice',
    audience: 'appointments:api',
    scopes: ['openid', 'offline_access', 'read:appointments'],
    authTime: NOW_SECONDS - 60,
    family: 'family-1',
    issuedAt: NOW_SECONDS - 30,
    expiresAt: NOW_SECONDS + 3600,
    ...fields,
  }
}

export async function seedRefreshToken(store: Store, token: string, fields: Partial<RefreshTokenRecord> = {}) {
  const record = refreshRecord(fields)
  await store.set('refresh_token', token, record, record.expiresAt - NOW_SECONDS)
  return record
}

/** alice's claims released by the profile and email scopes. */
export const ALICE_CLAIMS = {
  name: 'Alice Liddell',
  given_name: 'Alice',
  family_name: 'Liddell',
  nickname: 'alice',
  email: 'alice@example.com',
  email_verified: true,
}

/** base64url of the left half of SHA-256 (at_hash / c_hash for RS256, OIDC Core §3.3.2.11). */
export const leftHalfSha256 = (value: string): string =>
  createHash('sha256').update(value, 'ascii').digest().subarray(0, 16).toString('base64url')

/** Verifies a JWT against the server's JWKS and returns its payload. */
export async function verifiedClaims(app: FastifyInstance, token: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, await jwksOf(app), { issuer: ISSUER, currentDate: new Date(NOW_SECONDS * 1000) })
  return payload
}

/** The JSON error body of a response, with its status. */
export const errorOf = (res: LightMyRequestResponse) => ({ status: res.statusCode, ...(res.json() as Record<string, unknown>) })
