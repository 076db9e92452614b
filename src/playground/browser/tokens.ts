// Shows a token decoded — header and payload, every claim explained — and the checks an app makes on it.
import type { PageData } from '../page-data.js'
import { check, h, note, specLink } from './dom.js'
import { halfHash } from './encoding.js'
import { CLAIMS, CUSTOM_CLAIM, HEADER, type Explanation } from './explain.js'
import { decodeJwt, verifySignature, type Jwks } from './jwt.js'
import type { Pending } from './session.js'

const TITLES: Record<string, string> = { id_token: 'ID token', access_token: 'Access token', refresh_token: 'Refresh token' }

/** The token, decoded into two tables; an opaque token (not a JWT) is shown as it is. */
export function tokenView(kind: string, token: string): HTMLElement {
  const decoded = decodeJwt(token)
  const article = h('article', { class: 'token', 'data-token': kind }, h('h3', {}, TITLES[kind] ?? kind))
  article.append(h('p', {}, h('code', { class: 'break raw-token' }, token)))
  if (!decoded) {
    article.append(h('p', { class: 'muted' }, 'Not a JWT: an opaque value only Gatehouse can look up. Keep it secret, send it back as it is.'))
    return article
  }
  if (kind === 'access_token') {
    article.append(
      h('p', { class: 'muted' }, 'An app should treat an access token as opaque: it is for the API, which checks it. It is decoded here to learn from.'),
    )
  }
  article.append(h('h4', {}, 'Header'), claimTable(decoded.header, HEADER, 'header'))
  article.append(h('h4', {}, 'Payload (claims)'), claimTable(decoded.payload, CLAIMS, 'claim'))
  return article
}

function claimTable(members: Record<string, unknown>, known: Record<string, Explanation>, attr: 'header' | 'claim'): HTMLElement {
  const rows = Object.entries(members).map(([name, value]) => {
    const explanation = known[name] ?? (attr === 'claim' ? CUSTOM_CLAIM : { about: '' })
    return h(
      'tr',
      { [`data-${attr}`]: name },
      h('th', { scope: 'row' }, h('code', {}, name)),
      h('td', { class: 'value' }, formatValue(name, value)),
      h('td', {}, explanation.about, ' ', explanation.spec ? specLink(explanation.spec) : null),
    )
  })
  return h('table', { class: 'claims' }, h('tbody', {}, rows))
}

function formatValue(name: string, value: unknown): Node {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  const time = ['exp', 'iat', 'nbf', 'auth_time'].includes(name) && typeof value === 'number'
  if (!time) return h('code', { class: 'break' }, text)
  const when = new Date(value * 1000).toLocaleString()
  return h('span', {}, h('code', {}, text), ` (${when})`, name === 'exp' ? h('span', { class: 'countdown', 'data-exp': String(value) }, countdown(value)) : null)
}

function countdown(exp: number): string {
  const left = exp - Math.floor(Date.now() / 1000)
  return left > 0 ? ` — expires in ${duration(left)}` : ' — expired'
}

/** Keeps every "expires in" line current: exp is a live countdown. */
export function startCountdowns(): void {
  const tick = () => {
    document.querySelectorAll<HTMLElement>('[data-exp]').forEach((el) => {
      const exp = Number(el.dataset.exp)
      el.textContent = countdown(exp)
      el.classList.toggle('expired', exp <= Math.floor(Date.now() / 1000))
    })
  }
  tick()
  setInterval(tick, 1000)
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return [h > 0 ? `${h} h` : '', h > 0 || m > 0 ? `${m} min` : '', `${s} s`].filter(Boolean).join(' ')
}

export interface IdTokenContext {
  /** where the ID token came from: the authorization response, or the token endpoint */
  from: 'authorization' | 'token'
  pending: Pending | undefined
  accessToken?: string
  code?: string
}

const nowSeconds = () => Math.floor(Date.now() / 1000)
const audiences = (aud: unknown): string[] => (Array.isArray(aud) ? aud.map(String) : aud === undefined ? [] : [String(aud)])

/** What OIDC Core §3.1.3.7 and §3.2.2.11 ask an app to check before it believes an ID token. */
export async function idTokenChecks(data: PageData, token: string, jwks: Jwks, ctx: IdTokenContext): Promise<HTMLElement[]> {
  const decoded = decodeJwt(token)
  if (!decoded) return [check('id_token', false, 'the ID token is not a JWT')]
  const claims = decoded.payload
  const signature = await verifySignature(token, jwks)
  const lines: HTMLElement[] = [
    check('id_token:signature', signature.ok, `ID token ${signature.detail}`),
    check('id_token:iss', claims.iss === data.issuer, `iss is ${JSON.stringify(claims.iss)}; expected ${data.issuer}`),
    check('id_token:aud', audiences(claims.aud).includes(data.clientId), `aud ${JSON.stringify(claims.aud)} names this client, ${data.clientId}`),
    check('id_token:exp', Number(claims.exp) > nowSeconds(), `exp is in the future`),
  ]
  lines.push(nonceCheck(claims.nonce, ctx))
  lines.push(await hashCheck('at_hash', claims.at_hash, ctx.accessToken, ctx, 'token'))
  lines.push(await hashCheck('c_hash', claims.c_hash, ctx.code, ctx, 'code'))
  return lines
}

function nonceCheck(nonce: unknown, ctx: IdTokenContext): HTMLElement {
  const sent = ctx.pending?.nonce
  if (sent === undefined) {
    if (nonce === undefined) return note('nonce', 'nonce: none was sent, none came back')
    return check('nonce', false, 'nonce came back, but this tab has no request to compare it with')
  }
  return check('nonce', nonce === sent, nonce === sent ? `nonce matches the one this tab sent (${sent})` : `nonce ${JSON.stringify(nonce)} is not the one sent (${sent}): a replayed ID token?`)
}

/** at_hash or c_hash: required in the authorization response when that value came along (OIDC Core §3.2.2.10, §3.3.2.11). */
async function hashCheck(claim: 'at_hash' | 'c_hash', value: unknown, companion: string | undefined, ctx: IdTokenContext, type: string): Promise<HTMLElement> {
  const what = claim === 'at_hash' ? 'access token' : 'code'
  if (companion === undefined) return note(claim, `${claim}: no ${what} came with this ID token`)
  if (value === undefined) {
    const required = ctx.from === 'authorization' && (ctx.pending?.responseType ?? '').split(' ').includes(type)
    return required
      ? check(claim, false, `${claim} is missing, but an ${what} came with the ID token`)
      : note(claim, `${claim}: not in this ID token (optional at the token endpoint)`)
  }
  const expected = await halfHash(companion)
  return check(claim, value === expected, `${claim} ${value === expected ? 'matches' : 'does NOT match'} the ${what} (left half of its SHA-256: ${expected})`)
}

/** An app does not check access tokens (the API does); shown for learning, so that a tampered token stands out. */
export async function accessTokenChecks(token: string, jwks: Jwks): Promise<HTMLElement[]> {
  if (!decodeJwt(token)) return [note('access_token:signature', 'access token: opaque, nothing to verify here')]
  const signature = await verifySignature(token, jwks)
  return [check('access_token:signature', signature.ok, `access token ${signature.detail}`)]
}
