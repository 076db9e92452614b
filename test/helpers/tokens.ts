// Tokens for tests of the endpoints that consume them: implicit-flow tokens, and refresh tokens put straight into the store.
import type { FastifyInstance } from 'fastify'
import type { RefreshTokenRecord } from '../../src/grants/records.js'
import type { Store } from '../../src/store/store.js'
import { fragmentOf, NOW, signIn } from './server.js'
import { CALLBACK } from './tenant.js'

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

export const NOW_SECONDS = NOW / 1000

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

export const basicAuth = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
export const BACKEND_AUTH = basicAuth('backend', 'backend-secret')
