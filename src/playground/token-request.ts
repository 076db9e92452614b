// The playground's backend half: it holds the client secret, so a token request from the playground page
// comes here, gets the client's authentication added, and is sent to the real token endpoint. What the page
// is shown is the same request with every secret masked (RFC 6749 §2.3.1, §4.1.3, §4.3.2, §4.4.2, §6).
import type { Client } from '../config/types.js'
import { InvalidRequest } from '../errors/oauth-errors.js'
import { readParam } from '../util/form-params.js'

/** The parameters the page may send for each grant; client authentication is added here, never sent by the page. */
const GRANT_PARAMS: Record<string, readonly string[]> = {
  authorization_code: ['code', 'redirect_uri', 'code_verifier'],
  refresh_token: ['refresh_token', 'scope'],
  client_credentials: ['audience', 'scope'],
  password: ['username', 'password', 'audience', 'scope'],
}

/** Shown as [masked]: the client secret, the PKCE verifier and the user's password. */
const SECRET_PARAMS = new Set(['client_secret', 'code_verifier', 'password'])
const MASKED = '[masked]'

export interface ShownRequest {
  method: 'POST'
  url: string
  headers: Record<string, string>
  /** application/x-www-form-urlencoded, secrets masked */
  body: string
}

export interface PreparedTokenRequest {
  /** what is sent */
  headers: Record<string, string>
  body: string
  /** what the page shows */
  shown: ShownRequest
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2)

/** The token request for `client` from what the page sent; throws invalid_request for anything else. */
export function prepareTokenRequest(client: Client, tokenUrl: string, input: unknown): PreparedTokenRequest {
  const grantType = readParam(input, 'grant_type')
  const allowed = grantType === undefined ? undefined : GRANT_PARAMS[grantType]
  if (grantType === undefined || allowed === undefined) {
    throw new InvalidRequest(`grant_type must be one of ${Object.keys(GRANT_PARAMS).join(', ')}`)
  }
  const unexpected = Object.keys(input as object).find((name) => name !== 'grant_type' && !allowed.includes(name))
  if (unexpected !== undefined) throw new InvalidRequest(`parameter ${unexpected} is not sent for grant_type ${grantType}`)

  const params: [string, string][] = [['grant_type', grantType]]
  for (const name of allowed) {
    const value = readParam(input, name)
    if (value !== undefined) params.push([name, value])
  }
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  const shownHeaders: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' }
  if (client.token_endpoint_auth_method === 'client_secret_basic') {
    const credentials = `${formEncode(client.client_id)}:${formEncode(client.client_secret ?? '')}`
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
    shownHeaders.Authorization = `Basic ${MASKED} (base64 of ${client.client_id}:<client_secret>)`
  } else {
    params.push(['client_id', client.client_id])
    if (client.token_endpoint_auth_method === 'client_secret_post') params.push(['client_secret', client.client_secret ?? ''])
  }
  const encode = (mask: boolean) =>
    params.map(([name, value]) => `${name}=${mask && SECRET_PARAMS.has(name) ? MASKED : formEncode(value)}`).join('&')
  return {
    headers,
    body: encode(false),
    shown: { method: 'POST', url: tokenUrl, headers: shownHeaders, body: encode(true) },
  }
}

export interface ShownResponse {
  status: number
  headers: Record<string, string>
  body: unknown
}

// The headers that matter to a client reading a token response.
const SHOWN_RESPONSE_HEADERS = ['content-type', 'cache-control', 'pragma', 'www-authenticate']

/** The token endpoint's answer as the page shows it: status, the headers that matter, the JSON body. */
export function describeTokenResponse(status: number, headers: Record<string, unknown>, body: string): ShownResponse {
  const shown: Record<string, string> = {}
  for (const name of SHOWN_RESPONSE_HEADERS) {
    const value = headers[name]
    if (value !== undefined) shown[name] = String(value)
  }
  let parsed: unknown = body
  try {
    parsed = JSON.parse(body)
  } catch {
    // not JSON: shown as text
  }
  return { status, headers: shown, body: parsed }
}
