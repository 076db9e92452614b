// APIs (Auth0's /api/v2/resource-servers), keyed by identifier; the Management API is listed first, as
// Auth0's system API, and cannot be changed.

import type { ClientGrant, ResourceServer, TokenDialect } from '../config/types.js'
import { forgetPermissions } from '../rbac/assignments.js'
import { clientGrantId } from '../tenant/seed.js'
import { eachEntry, type ManagementDeps } from './deps.js'
import { badRequest, conflict, ManagementError, resourceServerNotFound } from './errors.js'
import { managementApi, managementAudience } from './scopes.js'
import { pagedResponse, pageOf, type Paged, type PagingQuery } from './paging.js'
import { boolean, bodyValidator, nonEmptyString, pagingProperties, queryValidator, scopeToken, string } from './validation.js'
import { SIGNING_ALGS, TOKEN_DIALECTS } from '../config/schema.js'

export interface ResourceServerView {
  id: string
  name: string
  identifier: string
  is_system: boolean
  scopes: { value: string; description: string }[]
  signing_alg: string
  token_lifetime: number
  token_lifetime_for_web: number
  skip_consent_for_verifiable_first_party_clients: boolean
  allow_offline_access: boolean
  enforce_policies: boolean
  token_dialect: TokenDialect
}

type Body = Partial<Omit<ResourceServer, 'scopes'>> & { scopes?: { value: string; description?: string }[] }

// Auth0 allows access tokens to live 30 days at most.
const lifetime = { type: 'integer', minimum: 1, maximum: 2592000 } as const

const properties = {
  name: nonEmptyString,
  scopes: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['value'],
      properties: { value: scopeToken, description: string },
    },
  },
  signing_alg: { type: 'string', enum: SIGNING_ALGS },
  token_lifetime: lifetime,
  token_lifetime_for_web: lifetime,
  skip_consent_for_verifiable_first_party_clients: boolean,
  allow_offline_access: boolean,
  // RBAC: grant a user only the requested scopes they are permitted
  enforce_policies: boolean,
  // the *_authz dialects add the user's `permissions` to access tokens
  token_dialect: { type: 'string', enum: TOKEN_DIALECTS },
} as const

const validateCreate = bodyValidator<Body & { identifier: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['identifier'],
  properties: { identifier: nonEmptyString, ...properties },
})

const validateUpdate = bodyValidator<Body>({ type: 'object', additionalProperties: false, properties })

const validateList = queryValidator<PagingQuery & { identifiers?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { ...pagingProperties, identifiers: string },
})

/** The id in URLs: the identifier in base64url (Auth0 also takes the URL-encoded identifier itself). */
const idOf = (identifier: string) => Buffer.from(identifier, 'utf8').toString('base64url')

/** The system API's id, as stable as the issuer. */
const SYSTEM_ID = 'management-api'

export function resourceServerView(api: ResourceServer, isSystem = false): ResourceServerView {
  return {
    id: isSystem ? SYSTEM_ID : idOf(api.identifier),
    name: api.name,
    identifier: api.identifier,
    is_system: isSystem,
    scopes: api.scopes.map((s) => ({ value: s.value, description: s.description })),
    signing_alg: api.signing_alg,
    token_lifetime: api.token_lifetime,
    token_lifetime_for_web: api.token_lifetime_for_web,
    skip_consent_for_verifiable_first_party_clients: api.skip_consent_for_verifiable_first_party_clients,
    allow_offline_access: api.allow_offline_access,
    enforce_policies: api.enforce_policies ?? false,
    token_dialect: api.token_dialect ?? 'access_token',
  }
}

/** The stored API an id (or identifier) names; the system API is told apart. */
async function findApi(deps: ManagementDeps, id: string): Promise<{ api: ResourceServer; isSystem: boolean }> {
  const system = managementAudience(deps.config.issuer)
  if (id === SYSTEM_ID || id === system) return { api: managementApi(deps.config.issuer), isSystem: true }
  const byIdentifier = await deps.store.get<ResourceServer>('resource_server', id)
  if (byIdentifier !== undefined) return { api: byIdentifier, isSystem: false }
  const decoded = /^[A-Za-z0-9_-]+$/.test(id) ? Buffer.from(id, 'base64url').toString('utf8') : undefined
  const byId = decoded !== undefined && idOf(decoded) === id ? await deps.store.get<ResourceServer>('resource_server', decoded) : undefined
  if (byId === undefined) throw resourceServerNotFound()
  return { api: byId, isSystem: false }
}

const systemRefusal = () => new ManagementError(403, 'The Auth0 Management API cannot be changed or deleted', 'operation_not_supported')

function checkScopes(scopes: { value: string }[]): void {
  const seen = new Set<string>()
  for (const { value } of scopes) {
    if (seen.has(value)) throw badRequest(`scope ${value} is defined twice`)
    seen.add(value)
  }
}

/** POST /resource-servers */
export async function createResourceServer(deps: ManagementDeps, body: unknown): Promise<ResourceServerView> {
  const input = validateCreate(body)
  const scopes = (input.scopes ?? []).map((s) => ({ value: s.value, description: s.description ?? s.value }))
  checkScopes(scopes)
  const api: ResourceServer = {
    identifier: input.identifier,
    name: input.name ?? input.identifier,
    scopes,
    token_lifetime: input.token_lifetime ?? 86400,
    token_lifetime_for_web: input.token_lifetime_for_web ?? 7200,
    signing_alg: input.signing_alg ?? 'RS256',
    skip_consent_for_verifiable_first_party_clients: input.skip_consent_for_verifiable_first_party_clients ?? true,
    allow_offline_access: input.allow_offline_access ?? false,
    enforce_policies: input.enforce_policies ?? false,
    token_dialect: input.token_dialect ?? 'access_token',
  }
  const taken = api.identifier === managementAudience(deps.config.issuer) || !(await deps.store.add('resource_server', api.identifier, api))
  if (taken) throw conflict('A resource server with the same identifier already exists', 'resource_server_conflict')
  return resourceServerView(api)
}

/** GET /resource-servers/{id} */
export async function getResourceServer(deps: ManagementDeps, id: string): Promise<ResourceServerView> {
  const { api, isSystem } = await findApi(deps, id)
  return resourceServerView(api, isSystem)
}

/** GET /resource-servers: the system API first, then the tenant's in identifier order; `identifiers` picks some. */
export async function listResourceServers(deps: ManagementDeps, query: unknown): Promise<Paged<ResourceServerView, 'resource_servers'>> {
  const q = validateList(query)
  const page = pageOf(q)
  if (q.identifiers !== undefined) {
    const wanted = [...new Set(q.identifiers.split(',').map((i) => i.trim()).filter((i) => i !== ''))]
    const found: ResourceServerView[] = []
    for (const identifier of wanted) {
      const api = await findApi(deps, identifier).catch(() => undefined)
      if (api !== undefined && api.api.identifier === identifier) found.push(resourceServerView(api.api, api.isSystem))
    }
    return pagedResponse('resource_servers', page, found.slice(page.offset, page.offset + page.limit), async () => found.length)
  }
  // The system API is entry 0; the store's entries follow it.
  const items: ResourceServerView[] = page.offset === 0 ? [resourceServerView(managementApi(deps.config.issuer), true)] : []
  const offset = Math.max(page.offset - 1, 0)
  const limit = page.limit - items.length
  if (limit > 0) {
    const stored = await deps.store.list<ResourceServer>('resource_server', { offset, limit })
    items.push(...stored.map((api) => resourceServerView(api)))
  }
  return pagedResponse('resource_servers', page, items, async () => (await deps.store.count('resource_server')) + 1)
}

/** PATCH /resource-servers/{id}: given fields replace the API's; scopes are replaced as a whole. */
export async function updateResourceServer(deps: ManagementDeps, id: string, body: unknown): Promise<ResourceServerView> {
  const input = validateUpdate(body)
  const { api: previous, isSystem } = await findApi(deps, id)
  if (isSystem) throw systemRefusal()
  const api: ResourceServer = { ...previous }
  if (input.name !== undefined) api.name = input.name
  if (input.scopes !== undefined) {
    api.scopes = input.scopes.map((s) => ({ value: s.value, description: s.description ?? s.value }))
    checkScopes(api.scopes)
  }
  if (input.signing_alg !== undefined) api.signing_alg = input.signing_alg
  if (input.token_lifetime !== undefined) api.token_lifetime = input.token_lifetime
  if (input.token_lifetime_for_web !== undefined) api.token_lifetime_for_web = input.token_lifetime_for_web
  if (input.skip_consent_for_verifiable_first_party_clients !== undefined) {
    api.skip_consent_for_verifiable_first_party_clients = input.skip_consent_for_verifiable_first_party_clients
  }
  if (input.allow_offline_access !== undefined) api.allow_offline_access = input.allow_offline_access
  if (input.enforce_policies !== undefined) api.enforce_policies = input.enforce_policies
  if (input.token_dialect !== undefined) api.token_dialect = input.token_dialect
  await deps.store.set('resource_server', api.identifier, api)
  // A scope the API no longer defines is no longer anyone's permission.
  const kept = new Set(api.scopes.map((s) => s.value))
  const removed = previous.scopes.map((s) => s.value).filter((value) => !kept.has(value))
  if (removed.length > 0) await forgetPermissions(deps.store, api.identifier, removed)
  return resourceServerView(api)
}

/** DELETE /resource-servers/{id}: the API, the client grants for it and the permissions at it. */
export async function deleteResourceServer(deps: ManagementDeps, id: string): Promise<void> {
  const { api, isSystem } = await findApi(deps, id)
  if (isSystem) throw systemRefusal()
  await deps.store.delete('resource_server', api.identifier)
  const grants: ClientGrant[] = []
  for await (const grant of eachEntry<ClientGrant>(deps.store, 'client_grant')) if (grant.audience === api.identifier) grants.push(grant)
  for (const grant of grants) await deps.store.delete('client_grant', clientGrantId(grant.client_id, grant.audience))
  await forgetPermissions(deps.store, api.identifier)
}
