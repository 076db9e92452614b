// Which APIs a client may call with client_credentials, and with which scopes (Auth0's /api/v2/client-grants).
// One grant per client and API, keyed [client_id, audience], so one client's grants are an id prefix.

import type { Client, ClientGrant, ResourceServer } from '../config/types.js'
import { clientGrantId } from '../tenant/seed.js'
import { filteredPage, type ManagementDeps } from './deps.js'
import { badRequest, clientGrantNotFound, clientNotFound, conflict, resourceServerNotFound } from './errors.js'
import { pagedResponse, pageOf, type Paged, type PagingQuery } from './paging.js'
import { managementApi, managementAudience } from './scopes.js'
import { bodyValidator, nonEmptyString, pagingProperties, queryValidator, scopeToken } from './validation.js'

export interface ClientGrantView {
  id: string
  client_id: string
  audience: string
  scope: string[]
}

const scopeList = { type: 'array', items: scopeToken, uniqueItems: true } as const

const validateCreate = bodyValidator<ClientGrant>({
  type: 'object',
  additionalProperties: false,
  required: ['client_id', 'audience', 'scope'],
  properties: { client_id: nonEmptyString, audience: nonEmptyString, scope: scopeList },
})

const validateUpdate = bodyValidator<{ scope?: string[] }>({
  type: 'object',
  additionalProperties: false,
  properties: { scope: scopeList },
})

const validateList = queryValidator<PagingQuery & { client_id?: string; audience?: string }>({
  type: 'object',
  additionalProperties: false,
  properties: { ...pagingProperties, client_id: nonEmptyString, audience: nonEmptyString },
})

// Auth0's client grant ids start with cgr_; the rest is the store id in base64url.
const ID_PREFIX = 'cgr_'
const publicId = (grant: ClientGrant) => `${ID_PREFIX}${Buffer.from(clientGrantId(grant.client_id, grant.audience), 'utf8').toString('base64url')}`

function storeIdOf(id: string): string | undefined {
  if (!id.startsWith(ID_PREFIX) || !/^[A-Za-z0-9_-]+$/.test(id.slice(ID_PREFIX.length))) return undefined
  const decoded = Buffer.from(id.slice(ID_PREFIX.length), 'base64url').toString('utf8')
  try {
    const parts: unknown = JSON.parse(decoded)
    if (!Array.isArray(parts) || parts.length !== 2 || !parts.every((p) => typeof p === 'string')) return undefined
    return clientGrantId(parts[0] as string, parts[1] as string) === decoded ? decoded : undefined
  } catch {
    return undefined
  }
}

export const clientGrantView = (grant: ClientGrant): ClientGrantView => ({
  id: publicId(grant),
  client_id: grant.client_id,
  audience: grant.audience,
  scope: [...grant.scope],
})

/** The API an audience names: a stored one, or the Management API. */
async function apiOf(deps: ManagementDeps, audience: string): Promise<ResourceServer | undefined> {
  if (audience === managementAudience(deps.config.issuer)) return managementApi(deps.config.issuer)
  return deps.store.get<ResourceServer>('resource_server', audience)
}

function checkScopes(api: ResourceServer, scope: string[]): void {
  const unknown = scope.filter((s) => !api.scopes.some((defined) => defined.value === s))
  if (unknown.length > 0) throw badRequest(`scopes not defined by ${api.identifier}: ${unknown.join(', ')}`)
}

async function findGrant(deps: ManagementDeps, id: string): Promise<{ storeId: string; grant: ClientGrant }> {
  const storeId = storeIdOf(id)
  const grant = storeId === undefined ? undefined : await deps.store.get<ClientGrant>('client_grant', storeId)
  if (storeId === undefined || grant === undefined) throw clientGrantNotFound()
  return { storeId, grant }
}

/** POST /client-grants: the client may then get tokens for the audience at once. */
export async function createClientGrant(deps: ManagementDeps, body: unknown): Promise<ClientGrantView> {
  const input = validateCreate(body)
  if ((await deps.store.get<Client>('client', input.client_id)) === undefined) throw clientNotFound()
  const api = await apiOf(deps, input.audience)
  if (api === undefined) throw resourceServerNotFound()
  checkScopes(api, input.scope)
  const grant: ClientGrant = { client_id: input.client_id, audience: input.audience, scope: [...input.scope] }
  if (!(await deps.store.add('client_grant', clientGrantId(grant.client_id, grant.audience), grant))) {
    throw conflict('A client grant for this client and audience already exists', 'client_grant_conflict')
  }
  return clientGrantView(grant)
}

/** GET /client-grants: filtered by client_id (an id prefix) and audience, in pages. */
export async function listClientGrants(deps: ManagementDeps, query: unknown): Promise<Paged<ClientGrantView, 'client_grants'>> {
  const q = validateList(query)
  const page = pageOf(q)
  if (q.client_id !== undefined && q.audience !== undefined) {
    const grant = await deps.store.get<ClientGrant>('client_grant', clientGrantId(q.client_id, q.audience))
    const all = grant === undefined ? [] : [clientGrantView(grant)]
    return pagedResponse('client_grants', page, all.slice(page.offset, page.offset + page.limit), async () => all.length)
  }
  const prefix = q.client_id === undefined ? undefined : `${JSON.stringify([q.client_id]).slice(0, -1)},`
  if (q.audience === undefined) {
    const grants = await deps.store.list<ClientGrant>('client_grant', { prefix, offset: page.offset, limit: page.limit })
    return pagedResponse('client_grants', page, grants.map(clientGrantView), () => deps.store.count('client_grant', prefix))
  }
  const { items, total } = await filteredPage<ClientGrant>(
    deps.store,
    'client_grant',
    { offset: page.offset, limit: page.limit, countAll: page.includeTotals },
    (g) => g.audience === q.audience,
  )
  return pagedResponse('client_grants', page, items.map(clientGrantView), async () => total)
}

/** PATCH /client-grants/{id}: the scopes, replaced; the next token has them. */
export async function updateClientGrant(deps: ManagementDeps, id: string, body: unknown): Promise<ClientGrantView> {
  const input = validateUpdate(body)
  const { storeId, grant } = await findGrant(deps, id)
  if (input.scope !== undefined) {
    const api = await apiOf(deps, grant.audience)
    if (api !== undefined) checkScopes(api, input.scope)
    grant.scope = [...input.scope]
  }
  await deps.store.set('client_grant', storeId, grant)
  return clientGrantView(grant)
}

/** DELETE /client-grants/{id}: the client can no longer get tokens for the audience. */
export async function deleteClientGrant(deps: ManagementDeps, id: string): Promise<void> {
  const { storeId } = await findGrant(deps, id)
  await deps.store.delete('client_grant', storeId)
}
