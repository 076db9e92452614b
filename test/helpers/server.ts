import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { createLocalJWKSet } from 'jose'
import type { Config } from '../../src/config/types.js'
import type { ServerOverrides } from '../../src/server.js'
import { createMemoryStore } from '../../src/store/index.js'
import type { Clock } from '../../src/util/clock.js'
import { CALLBACK, testConfig } from './tenant.js'
import { buildServerWithMadeKeys } from './made-keys.js'

export const NOW = 1_700_000_000_000

/** A clock tests can move. */
export function fakeClock(start = NOW): Clock & { advance(seconds: number): void } {
  let now = start
  return { now: () => now, advance: (seconds) => void (now += seconds * 1000) }
}

/** `overrides.store` lets a test seed or inspect the store (e.g. createMemoryStore({ clock })). */
export async function buildTestServer(
  t: Test,
  config: Partial<Config> = {},
  clock = fakeClock(),
  overrides: Pick<ServerOverrides, 'store'> = {},
) {
  const app = await buildServerWithMadeKeys(testConfig(config), { clock, logger: false, store: overrides.store })
  t.teardown(() => app.close())
  return { app, clock }
}

/** A test server whose store the test can seed and read. */
export async function buildServerWithStore(t: Test, config: Partial<Config> = {}, clock = fakeClock()) {
  const store = createMemoryStore({ clock })
  t.teardown(() => store.close())
  const { app } = await buildTestServer(t, config, clock, { store })
  return { app, clock, store }
}

/** The value of the session cookie set by a response, as a Cookie header. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'gatehouse_session')
  if (!cookie) throw new Error(`no session cookie in response (status ${res.statusCode})`)
  return `gatehouse_session=${cookie.value}`
}

export const hiddenField = (html: string, name: string): string => {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html)
  if (!match) throw new Error(`no hidden field ${name} in page`)
  return match[1]!
}

export const fragmentOf = (location: string): Record<string, string> =>
  Object.fromEntries(new URLSearchParams(new URL(location).hash.slice(1)))

export const queryOf = (location: string): Record<string, string> =>
  Object.fromEntries(new URL(location).searchParams)

export const authorizeUrl = (params: Record<string, string>) => `/authorize?${new URLSearchParams(params)}`

/**
 * Opens the login page at `location` as a browser would: returns the page, its form token and the Cookie
 * header (the login page's browser cookie, plus `cookie` when given) that must come back with the form.
 */
export async function openLogin(app: FastifyInstance, location: string, cookie?: string) {
  const page = await app.inject({ url: location, headers: cookie === undefined ? {} : { cookie } })
  const browser = page.cookies.find((c) => c.name === 'gatehouse_login')
  if (!browser) throw new Error(`no login cookie in response (status ${page.statusCode})`)
  const others = (cookie ?? '').split('; ').filter((c) => c !== '' && !c.startsWith('gatehouse_login='))
  const cookies = [...others, `gatehouse_login=${browser.value}`].join('; ')
  return { page, csrf: hiddenField(page.body, 'csrf'), cookie: cookies }
}

/** Submits the login form reached at `location` (/login/:uid); returns the response and the session cookie. */
export async function submitLogin(app: FastifyInstance, location: string, username = 'alice', password = 'wonderland') {
  const { csrf, cookie } = await openLogin(app, location)
  return postForm(app, location, { csrf, username, password }, cookie)
}

/** Answers the consent page at `location` (/consent/:uid). */
export async function submitConsent(app: FastifyInstance, location: string, cookie: string, decision = 'allow') {
  const page = await app.inject({ url: location, headers: { cookie } })
  const csrf = hiddenField(page.body, 'csrf')
  return app.inject({
    method: 'POST',
    url: location,
    payload: new URLSearchParams({ csrf, decision }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
  })
}

/** Runs /authorize through login (and consent when asked) and returns the final response and the session cookie. */
export async function signIn(
  app: FastifyInstance,
  params: Record<string, string>,
  opts: { username?: string; password?: string; decision?: string } = {},
) {
  const start = await app.inject({ url: authorizeUrl(params) })
  if (start.statusCode !== 303 || !start.headers.location?.startsWith('/login/')) {
    throw new Error(`expected a redirect to the login page, got ${start.statusCode} ${start.headers.location}`)
  }
  const login = await submitLogin(app, start.headers.location, opts.username, opts.password)
  const cookie = sessionCookie(login)
  let res = await app.inject({ url: login.headers.location!, headers: { cookie } })
  if (res.headers.location?.startsWith('/consent/')) {
    const consent = await submitConsent(app, res.headers.location, cookie, opts.decision)
    res = await app.inject({ url: consent.headers.location!, headers: { cookie } })
  }
  return { res, cookie }
}

/** GET /authorize with these parameters, sending the session cookie when given. */
export const startAuthorize = (app: FastifyInstance, params: Record<string, string>, cookie?: string) =>
  app.inject({ url: authorizeUrl(params), headers: cookie === undefined ? {} : { cookie } })

/** Logs in at `location` (/login/:uid) and follows the redirect back to /authorize/resume. */
export async function loginAndResume(app: FastifyInstance, location: string, username = 'alice', password = 'wonderland') {
  const login = await submitLogin(app, location, username, password)
  const cookie = sessionCookie(login)
  const res = await app.inject({ url: login.headers.location!, headers: { cookie } })
  return { res, cookie }
}

/** Implicit request by the third-party organizer for an API token: asks for consent after the login. */
export const CONSENT_REQUEST = {
  client_id: 'organizer',
  redirect_uri: CALLBACK,
  response_type: 'token',
  audience: 'appointments:api',
  scope: 'openid read:appointments',
  state: 'st-1',
}

/** Starts /authorize and logs in; returns the consent page's location and the session cookie. */
export async function loginToConsent(app: FastifyInstance, params: Record<string, string> = CONSENT_REQUEST) {
  const start = await startAuthorize(app, params)
  const { res, cookie } = await loginAndResume(app, String(start.headers.location))
  return { location: String(res.headers.location), cookie }
}

/** Answers the consent page at `location` and follows the redirect back to /authorize/resume. */
export async function consentAndResume(app: FastifyInstance, location: string, cookie: string, decision = 'allow') {
  const consent = await submitConsent(app, location, cookie, decision)
  return app.inject({ url: consent.headers.location!, headers: { cookie } })
}

/** The server's published keys, as a key resolver for jose's jwtVerify. */
export async function jwksOf(app: FastifyInstance) {
  const res = await app.inject({ url: '/.well-known/jwks.json' })
  return createLocalJWKSet(res.json())
}

/** A form-encoded POST, optionally with the session cookie. */
export const postForm = (app: FastifyInstance, url: string, form: Record<string, string>, cookie?: string) =>
  app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie === undefined ? {} : { cookie }) },
  })

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }
export const unescapeHtml = (text: string): string => text.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m]!)

/** The error code and description shown on an HTML error page, or undefined when the body is not one. */
export function errorPageOf(html: string): { error: string; description: string } | undefined {
  const match = /<p class="error" role="alert"><code>([^<]*)<\/code> ([^<]*)<\/p>/.exec(html)
  return match ? { error: unescapeHtml(match[1]!), description: unescapeHtml(match[2]!) } : undefined
}

/** The hidden inputs of a form_post page, in order. */
export function hiddenFields(html: string): [string, string][] {
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [
    unescapeHtml(m[1]!),
    unescapeHtml(m[2]!),
  ])
}
