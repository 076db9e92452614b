// What came back, and what an app does with it: check state, show errors, check and decode the tokens,
// exchange a code, then call the demo API with the access token.
import type { PageData } from '../page-data.js'
import { check, h, note, pre, specLink } from './dom.js'
import { base64url, utf8 } from './encoding.js'
import { ERRORS } from './explain.js'
import { decodeJwt, fetchJwks } from './jwt.js'
import { keepTokens, takePending, type Pending } from './session.js'
import { timelineView, refreshTimelines } from './timeline.js'
import { accessTokenChecks, idTokenChecks, tokenView } from './tokens.js'

export type ResponseSource = 'fragment' | 'query' | 'form_post' | 'web_message'

export interface AuthorizationResponse {
  source: ResponseSource
  params: Record<string, string>
}

/** What the token endpoint call looked like (secrets masked by the backend) and what it answered. */
export interface TokenExchange {
  request: { method: string; url: string; headers: Record<string, string>; body: string }
  response: { status: number; headers: Record<string, string>; body: unknown }
}

const SOURCES: Record<ResponseSource, string> = {
  fragment: 'in the URL fragment (after #). Browsers never send the fragment to a server, so only this page’s script sees it.',
  query: 'in the query string (after ?). Servers and their logs see it, which is why only a code (short-lived, single-use, useless without the PKCE verifier) travels this way.',
  form_post: 'in the body of a POST that Gatehouse’s page submitted to the callback: nothing in the URL, the history or Referer headers.',
  web_message: 'by postMessage from Gatehouse’s page in the hidden iframe, checked to come from the issuer’s origin.',
}

/** The state used by Auth0's /v2/logout, which sends nothing back to compare. */
export const AUTH0_LOGOUT_STATE = 'auth0-logout'

/** Shows an answer from /authorize (or from a logout) in `out`. */
export async function showAuthorizationResponse(out: HTMLElement, data: PageData, response: AuthorizationResponse): Promise<void> {
  const { params } = response
  const pending = takePending(params.state ?? (Object.keys(params).length === 0 ? AUTH0_LOGOUT_STATE : undefined))
  out.replaceChildren()
  if (pending?.flow === 'logout') return void out.append(loggedOut(params, pending))
  try {
    await showChecked(out, data, response, pending)
  } finally {
    // what Gatehouse decided on its side, for a flow this tab started
    if (pending) out.append(timelineView(data, pending))
  }
}

async function showChecked(out: HTMLElement, data: PageData, response: AuthorizationResponse, pending: Pending | undefined): Promise<void> {
  const { params } = response
  out.append(
    h(
      'section',
      { id: 'response' },
      h('h2', {}, 'The response'),
      h('p', {}, `It came back ${SOURCES[response.source]}`),
      paramTable(params),
    ),
  )
  const checks = h('ul', { class: 'checks' })
  out.append(h('section', { id: 'checks' }, h('h2', {}, 'What the app checks'), checks))
  checks.append(stateCheck(params.state, pending))
  // An answer this browser did not ask for may be an attacker's code or tokens: an app refuses it, unread.
  if (!pending) return void checks.append(note('stop', 'The app stops here: it neither verifies nor uses an answer it did not ask for.'))
  if (params.error !== undefined) return void out.append(errorView(params.error, params.error_description))

  const jwks = await fetchJwks(data.endpoints.jwks)
  const tokens = h('section', { id: 'tokens' }, h('h2', {}, 'Tokens'))
  if (params.id_token !== undefined) {
    const ctx = { from: 'authorization' as const, pending, accessToken: params.access_token, code: params.code }
    checks.append(...(await idTokenChecks(data, params.id_token, jwks, ctx)))
    tokens.append(tokenView('id_token', params.id_token))
  }
  if (params.access_token !== undefined) {
    checks.append(...(await accessTokenChecks(params.access_token, jwks)))
    tokens.append(tokenView('access_token', params.access_token))
  }
  if (tokens.childElementCount > 1) out.append(tokens)
  keepTokens({ id_token: params.id_token })
  if (params.code !== undefined) {
    const exchange = await exchangeCode(data, params.code, pending)
    out.append(await exchangeView(data, exchange, pending, 'Exchanging the code'))
  } else if (params.access_token !== undefined) {
    out.append(apiView(data, params.access_token))
  }
}

/** Shows a token endpoint exchange (request, response) and then what came back, checked. */
export async function exchangeView(data: PageData, exchange: TokenExchange, pending: Pending | undefined, title: string): Promise<HTMLElement> {
  const section = h('section', { id: 'exchange', 'data-status': String(exchange.response.status) }, h('h2', {}, title))
  section.append(
    h('p', {}, 'The app’s backend (here: the playground’s, which holds the client secret) sends this request to the token endpoint:'),
    pre(httpRequest(exchange.request), { class: 'http', 'data-http': 'request' }),
    h('p', {}, 'and Gatehouse answers:'),
    pre(httpResponse(exchange.response), { class: 'http', 'data-http': 'response' }),
  )
  const body = exchange.response.body as Record<string, string>
  if (exchange.response.status !== 200) {
    section.append(errorView(body.error ?? 'server_error', body.error_description))
    return section
  }
  const checks = h('ul', { class: 'checks' })
  section.append(h('h3', {}, 'What the app checks'), checks)
  const jwks = await fetchJwks(data.endpoints.jwks)
  if (body.id_token !== undefined) {
    checks.append(...(await idTokenChecks(data, body.id_token, jwks, { from: 'token', pending, accessToken: body.access_token })))
    section.append(tokenView('id_token', body.id_token))
  }
  if (body.access_token !== undefined) {
    checks.append(...(await accessTokenChecks(body.access_token, jwks)))
    section.append(tokenView('access_token', body.access_token))
  }
  if (body.refresh_token !== undefined) {
    section.append(tokenView('refresh_token', body.refresh_token))
    section.append(h('p', {}, 'Kept in this tab for the “Refresh token” flow.'))
  }
  keepTokens({ refresh_token: body.refresh_token, id_token: body.id_token })
  if (body.access_token !== undefined) section.append(apiView(data, body.access_token))
  return section
}

/** The code exchange, sent by the playground's backend with the client secret; the verifier travels in a POST body. */
export async function exchangeCode(data: PageData, code: string, pending: Pending | undefined): Promise<TokenExchange> {
  const params: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: data.callback }
  if (pending?.codeVerifier !== undefined) params.code_verifier = pending.codeVerifier
  return callBackend(data, params)
}

/** POST to the playground's backend, which adds client authentication and calls the token endpoint. */
export async function callBackend(data: PageData, params: Record<string, string>): Promise<TokenExchange> {
  const res = await fetch(data.endpoints.backendToken, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  })
  const body = (await res.json()) as TokenExchange & { error?: string; error_description?: string }
  if (!res.ok) throw new Error(`the playground backend refused: ${body.error}: ${body.error_description}`)
  return body
}

function stateCheck(state: string | undefined, pending: Pending | undefined): HTMLElement {
  if (state === undefined) return check('state', false, 'no state came back: nothing ties this answer to a request from this browser')
  if (!pending) {
    return check('state', false, `state ${state} matches no request this tab started (used already, or started elsewhere): an app must refuse this answer`)
  }
  const when = new Date(pending.startedAt).toLocaleTimeString()
  return check('state', true, `state matches the request this tab started at ${when}, and is now used up`)
}

function paramTable(params: Record<string, string>): HTMLElement {
  if (Object.keys(params).length === 0) return h('p', { class: 'muted' }, 'No parameters at all.')
  const rows = Object.entries(params).map(([name, value]) =>
    h('tr', { 'data-param': name }, h('th', { scope: 'row' }, h('code', {}, name)), h('td', {}, h('code', { class: 'break' }, value))),
  )
  return h('table', { class: 'params' }, h('tbody', {}, rows))
}

/** Errors teach: the code, what the spec says it means, and the likely fix in a Gatehouse tenant. */
export function errorView(error: string, description: string | undefined): HTMLElement {
  const help = ERRORS[error]
  return h(
    'div',
    { class: 'error-teach', 'data-error': error, role: 'alert' },
    h('p', {}, h('strong', {}, 'Error '), h('code', {}, error), description ? `: ${description}` : ''),
    help ? h('p', {}, h('strong', {}, 'What it means: '), help.meaning, ' ', specLink(help.spec)) : null,
    help ? h('p', {}, h('strong', {}, 'Likely fix: '), help.fix) : null,
  )
}

function loggedOut(params: Record<string, string>, pending: Pending): HTMLElement {
  const lines = h('ul', { class: 'checks' })
  if (pending.state === AUTH0_LOGOUT_STATE) {
    lines.append(note('state', 'Auth0’s /v2/logout sends nothing back, so there is no state to check'))
  } else {
    lines.append(check('state', params.state === pending.state, `state ${params.state} matches the logout request this tab started`))
  }
  return h(
    'section',
    { id: 'logged-out' },
    h('h2', {}, 'Signed out'),
    h('p', {}, 'Gatehouse ended its session and cleared its cookie, then sent the browser back to an allowed logout URL. The next silent authentication will answer login_required.'),
    lines,
  )
}

function httpRequest(req: TokenExchange['request']): string {
  const url = new URL(req.url)
  const headers = Object.entries({ Host: url.host, ...req.headers }).map(([name, value]) => `${name}: ${value}`)
  return [`${req.method} ${url.pathname} HTTP/1.1`, ...headers, '', req.body].join('\n')
}

function httpResponse(res: TokenExchange['response']): string {
  const headers = Object.entries(res.headers).map(([name, value]) => `${name}: ${value}`)
  const body = typeof res.body === 'string' ? res.body : JSON.stringify(res.body, null, 2)
  return [`HTTP/1.1 ${res.status}`, ...headers, '', body].join('\n')
}

type ApiVariant = 'token' | 'expired' | 'wrong-audience' | 'tampered'

const VARIANT_LABELS: Record<ApiVariant, string> = {
  token: 'Call it with this access token',
  expired: 'an expired copy',
  'wrong-audience': 'a copy for another audience',
  tampered: 'a tampered copy',
}

/** The demo API, called with the token and with copies it must refuse. */
export function apiView(data: PageData, accessToken: string): HTMLElement {
  const results = h('div', { class: 'api-results' })
  const aud = decodeJwt(accessToken)?.payload.aud
  const forDemoApi = [aud].flat().includes(data.demoApi.audience)
  const button = (variant: ApiVariant) =>
    h('button', { type: 'button', class: variant === 'token' ? '' : 'secondary', 'data-api-call': variant, onclick: () => void tryApi(data, accessToken, variant, results) }, VARIANT_LABELS[variant])
  return h(
    'section',
    { id: 'api' },
    h('h2', {}, 'Call the demo API'),
    h('p', {}, 'GET ', h('code', { class: 'break' }, data.endpoints.demoApi), ' with ', h('code', {}, 'Authorization: Bearer <access token>'), `. Like any API protected by Auth0 it checks the signature against the JWKS, iss, aud (${data.demoApi.audience}), exp, and the scope ${data.demoApi.scope}.`),
    forDemoApi ? null : h('p', { class: 'hint' }, `This token’s aud is ${JSON.stringify(aud)}: the API will refuse it. Pick the audience ${data.demoApi.audience} with the scope ${data.demoApi.scope} to see a 200.`),
    h('p', {}, button('token'), ' Try what it must refuse: ', button('expired'), button('wrong-audience'), button('tampered')),
    results,
  )
}

async function tryApi(data: PageData, accessToken: string, variant: ApiVariant, results: HTMLElement): Promise<void> {
  let token = accessToken
  let how = 'the access token as issued'
  try {
    if (variant === 'tampered') {
      ;({ token, how } = tamper(accessToken))
    } else if (variant !== 'token') {
      const res = await fetch(data.endpoints.backendVariant, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: accessToken, variant }) })
      const body = (await res.json()) as { token?: string; error?: string; error_description?: string }
      if (!body.token) throw new Error(`${body.error}: ${body.error_description}`)
      token = body.token
      how = variant === 'expired' ? 'a copy re-signed with exp a minute ago' : 'a copy re-signed with aud https://wrong-audience.invalid/'
    }
  } catch (err) {
    results.prepend(h('div', { class: 'api-result', 'data-variant': variant, 'data-status': 'none' }, `Could not make ${VARIANT_LABELS[variant]}: ${(err as Error).message}`))
    return
  }
  const res = await fetch(data.endpoints.demoApi, { headers: { Authorization: `Bearer ${token}` } })
  const text = await res.text()
  const challenge = res.headers.get('WWW-Authenticate')
  let body: Record<string, unknown> | undefined
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    // not JSON: shown as text
  }
  const verdict = res.status === 200 ? 'accepted' : 'refused'
  results.prepend(
    h(
      'div',
      { class: `api-result ${verdict}`, 'data-variant': variant, 'data-status': String(res.status) },
      h('p', {}, h('strong', {}, `${VARIANT_LABELS[variant]}: HTTP ${res.status}, ${verdict}. `), `Sent ${how}.`),
      pre([`HTTP/1.1 ${res.status}`, ...(challenge ? [`WWW-Authenticate: ${challenge}`] : []), '', body ? JSON.stringify(body, null, 2) : text].join('\n'), { class: 'http' }),
      typeof body?.error === 'string' ? errorView(body.error, String(body.error_description ?? '')) : null,
    ),
  )
  refreshTimelines()
}

/** Changes one claim and keeps the old signature, as an attacker editing a token would. */
function tamper(token: string): { token: string; how: string } {
  const [header, , signature] = token.split('.') as [string, string, string]
  const claims = decodeJwt(token)?.payload ?? {}
  const scope = `${String(claims.scope ?? '')} write:appointments`.trim()
  const edited = base64url(utf8(JSON.stringify({ ...claims, scope })))
  return { token: `${header}.${edited}.${signature}`, how: `a copy whose scope was edited to "${scope}", with the original signature` }
}
