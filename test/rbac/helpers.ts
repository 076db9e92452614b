// A tenant with RBAC on the appointments API: alice is a "reader" (read:appointments), bob has
// write:appointments directly and is an "editor" (read and write), carol has nothing.
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import type { ResourceServer, Tenant } from '../../src/config/types.js'
import { buildManagementServer, managementTenant } from '../management/helpers.js'
import { appointmentsApi } from '../helpers/tenant.js'
import { BACKEND_BASIC, postToken, verifiedClaims } from '../helpers/tokens.js'

export const API = 'appointments:api'
export const READ = 'read:appointments'
export const WRITE = 'write:appointments'
const permission = (permission_name: string) => ({ resource_server_identifier: API, permission_name })

export const carol = { user_id: 'auth0|carol', email: 'carol@example.com', username: 'carol', password: 'carol-pw', name: 'Carol' }

/** The management tenant, with roles, assignments and the appointments API's RBAC settings. */
export function rbacTenant(settings: Pick<ResourceServer, 'enforce_policies' | 'token_dialect'>): Tenant {
  const tenant = managementTenant()
  tenant.resource_servers = tenant.resource_servers.map((api) => (api.identifier === API ? { ...appointmentsApi, ...settings } : api))
  tenant.roles = [
    { name: 'reader', description: 'Reads appointments', permissions: [permission(READ)] },
    { name: 'editor', permissions: [permission(WRITE), permission(READ)] },
  ]
  tenant.users = tenant.users.map((user) =>
    user.user_id === 'auth0|alice'
      ? { ...user, roles: ['reader'] }
      : user.user_id === 'auth0|bob'
        ? { ...user, roles: ['editor'], permissions: [permission(WRITE)] }
        : user,
  )
  tenant.users.push(carol)
  return tenant
}

/** Gatehouse on the RBAC tenant, with a Management API client. */
export const buildRbacServer = (t: Test, settings: Pick<ResourceServer, 'enforce_policies' | 'token_dialect'>) =>
  buildManagementServer(t, { tenant: rbacTenant(settings) })

/** The password grant for the backend client at the appointments API; the response and the access token's claims. */
export async function passwordTokens(app: FastifyInstance, username: string, password: string, scope: string) {
  const res = await postToken(app, { grant_type: 'password', username, password, audience: API, scope }, { authorization: BACKEND_BASIC })
  if (res.statusCode !== 200) throw new Error(`password grant failed: ${res.statusCode} ${res.body}`)
  const body = res.json() as Record<string, string>
  return { body, claims: await verifiedClaims(app, body.access_token!) }
}
