// A tenant with Management API clients, and requests to <issuer>api/v2/ with their tokens.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import type { Client, Config, Tenant } from '../../src/config/types.js'
import { MANAGEMENT_SCOPES } from '../../src/management/scopes.js'
import { createMemoryStore } from '../../src/store/index.js'
import { fakeClock } from '../helpers/server.js'
import { ISSUER, testConfig, testTenant } from '../helpers/tenant.js'
import { basicAuth, postToken } from '../helpers/tokens.js'
import { buildServerWithMadeKeys } from '../helpers/made-keys.js'

export const MANAGEMENT_AUDIENCE = `${ISSUER}api/v2/`
export const MANAGER = 'manager'
export const MANAGER_SECRET = 'manager-secret'
/** a client granted only read:users */
export const READER = 'reader'
export const READER_SECRET = 'reader-secret'

/** A machine-to-machine client, authenticating with client_secret_post. */
export const machine = (clientId: string, secret: string): Client => ({
  client_id: clientId,
  name: clientId,
  app_type: 'non_interactive',
  callbacks: [],
  allowed_logout_urls: [],
  web_origins: [],
  grant_types: ['client_credentials'],
  is_first_party: true,
  client_secret: secret,
  token_endpoint_auth_method: 'client_secret_post',
  refresh_token: { rotation_type: 'non-rotating' },
})

/** The test tenant plus `manager` (every Management API scope) and `reader` (read:users only). */
export function managementTenant(): Tenant {
  const tenant = testTenant()
  tenant.clients.push(machine(MANAGER, MANAGER_SECRET), machine(READER, READER_SECRET))
  tenant.client_grants.push(
    { client_id: MANAGER, audience: MANAGEMENT_AUDIENCE, scope: [...MANAGEMENT_SCOPES] },
    { client_id: READER, audience: MANAGEMENT_AUDIENCE, scope: ['read:users'] },
  )
  return tenant
}

/** Builds Gatehouse on the management tenant with a fake clock and a store the test can read. */
export async function buildManagementServer(t: Test, config: Partial<Config> = {}) {
  const clock = fakeClock()
  const store = createMemoryStore({ clock })
  let n = 0
  // predictable ids: id-1, id-2, … padded to the size asked
  const newId = (size = 32) => `id-${++n}`.padEnd(size, 'x')
  const app = await buildServerWithMadeKeys(testConfig({ tenant: managementTenant(), ...config }), { clock, logger: false, store, newId })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  const token = await managementToken(app)
  return { app, store, clock, token, api: managementApi(app, token) }
}

/** A Management API token from client_credentials. */
export async function managementToken(app: FastifyInstance, clientId = MANAGER, secret = MANAGER_SECRET, scope?: string): Promise<string> {
  const params: Record<string, string> = { grant_type: 'client_credentials', audience: MANAGEMENT_AUDIENCE }
  if (scope !== undefined) params.scope = scope
  const res = await postToken(app, params, { authorization: basicAuth(clientId, secret) })
  if (res.statusCode !== 200) throw new Error(`no management token: ${res.statusCode} ${res.body}`)
  return res.json().access_token as string
}

export type Query = Record<string, string | number | boolean>

/** Requests to /api/v2 with a bearer token; bodies are sent as JSON. */
export function managementApi(app: FastifyInstance, token: string) {
  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, query?: Query) => {
    const qs = query === undefined ? '' : `?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`
    return app.inject({
      method,
      url: `/api/v2${path}${qs}`,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
  }
  return {
    get: (path: string, query?: Query) => send('GET', path, undefined, query),
    post: (path: string, body?: unknown) => send('POST', path, body ?? {}),
    patch: (path: string, body: unknown) => send('PATCH', path, body),
    delete: (path: string, query?: Query) => send('DELETE', path, undefined, query),
  }
}

/** The status and the JSON body of a response. */
export const answer = (res: LightMyRequestResponse) => ({ status: res.statusCode, body: res.body === '' ? undefined : res.json() })

/** An Auth0 error body. */
export const auth0Error = (statusCode: number, error: string, message: string, errorCode?: string) => ({
  status: statusCode,
  body: { statusCode, error, message, ...(errorCode === undefined ? {} : { errorCode }) },
})

/** The path of a user, with the user_id encoded as SDKs do. */
export const userPath = (userId: string) => `/users/${encodeURIComponent(userId)}`
