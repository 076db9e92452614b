import { decodeJwt, type JWTPayload } from 'jose'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import type { ActionConfig, Config } from '../../src/config/types.js'
import { createEventLog } from '../../src/events/event-log.js'
import { createMemoryStore } from '../../src/store/index.js'
import { fakeClock, fragmentOf } from '../helpers/server.js'
import { CALLBACK, testConfig } from '../helpers/tenant.js'
import { BACKEND_BASIC } from '../helpers/tokens.js'
import { buildServerWithMadeKeys } from '../helpers/made-keys.js'

export const fixture = (file: string) => fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url))

export const postLogin = (name: string, file: string, fields: Partial<ActionConfig> = {}): ActionConfig => ({
  name,
  trigger: 'post-login',
  script: fixture(file),
  secrets: {},
  timeoutMs: 5000,
  ...fields,
})

export const credentialsExchange = (name: string, file: string, fields: Partial<ActionConfig> = {}): ActionConfig =>
  postLogin(name, file, { trigger: 'credentials-exchange', ...fields })

export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

/** Gatehouse with these Actions, a fake clock, a store and an event log the test reads, and its log lines. */
export async function actionServer(t: Test, actions: ActionConfig[], config: Partial<Config> = {}) {
  const clock = fakeClock()
  const store = createMemoryStore({ clock })
  t.teardown(() => store.close())
  const events = createEventLog({ clock })
  const lines: string[] = []
  const app = await buildServerWithMadeKeys(testConfig({ logLevel: 'info', logFormat: 'json', ...config, actions }), {
    clock,
    store,
    events,
    logStream: { write: (line) => void lines.push(line) },
  })
  t.teardown(() => app.close())
  const logs = (): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine)
  return { app, store, clock, events, logs }
}

/** The implicit request a first-party SPA makes for both tokens (no consent page). */
export const IMPLICIT = {
  client_id: 'first-party',
  redirect_uri: CALLBACK,
  response_type: 'id_token token',
  scope: 'openid profile email read:appointments',
  audience: 'appointments:api',
  nonce: 'n-1',
  state: 'st-1',
}

/** The claims of both tokens in an implicit answer. */
export function tokensOf(location: string): { id: JWTPayload; access: JWTPayload; fragment: Record<string, string> } {
  const fragment = fragmentOf(location)
  if (fragment.id_token === undefined || fragment.access_token === undefined) throw new Error(`no tokens in ${location}`)
  return { id: decodeJwt(fragment.id_token), access: decodeJwt(fragment.access_token), fragment }
}

/** The event echo-event.js put in the ID token. */
export const EVENT_CLAIM = 'https://gatehouse.test/event'

/** A password grant for the confidential "backend" client of the test tenant. */
export const passwordGrant = (fields: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/oauth/token',
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: BACKEND_BASIC },
  payload: new URLSearchParams({
    grant_type: 'password',
    username: 'alice',
    password: 'wonderland',
    audience: 'appointments:api',
    scope: 'openid profile offline_access read:appointments',
    ...fields,
  }).toString(),
})
