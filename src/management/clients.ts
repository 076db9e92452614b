// Applications (Auth0's /api/v2/clients). The protocol endpoints read clients from the store on every
// request, so a change here (callbacks, grant types, a rotated secret) holds from the next request on.

import { APP_TYPES, AUTH_METHODS, GRANT_TYPES, SIGNING_ALGS } from '../config/schema.js'
import type { AppType, Client, ClientGrant, GrantType, SigningAlg, TokenEndpointAuthMethod } from '../config/types.js'
import { clientGrantId, type StoredClient } from '../tenant/seed.js'
import type { Store } from '../store/store.js'
import { filteredPage, type ManagementDeps } from './deps.js'
import { badRequest, clientNotFound } from './errors.js'
import { pagedResponse, pageOf, type Paged, type PagingQuery } from './paging.js'
import { boolean, bodyValidator, nonEmptyString, originList, pagingProperties, queryValidator, string, urlList, viewProperties } from './validation.js'

/** A client as the Management API keeps one: the config's fields and Auth0's description. */
export interface ManagedClient extends StoredClient {
  description?: string
}

/** A client as the Management API shows one; client_secret only to a caller with read:client_keys. */
export interface ClientView {
  client_id: string
  name: string
  description?: string
  app_type: AppType
  is_first_party: boolean
  oidc_conformant: true
  callbacks: string[]
  allowed_logout_urls: string[]
  web_origins: string[]
  grant_types: GrantType[]
  token_endpoint_auth_method: TokenEndpointAuthMethod
  jwt_configuration: { alg: string }
  refresh_token: { rotation_type: 'rotating' | 'non-rotating'; leeway: number }
  client_secret?: string
}

// Auth0's client secrets are 64 URL-safe characters; client ids 32.
const SECRET_LENGTH = 64
const CLIENT_ID_LENGTH = 32

// What a new client gets when the request leaves it out (Auth0's defaults for each kind of application).
const DEFAULT_GRANT_TYPES: Record<AppType, GrantType[]> = {
  spa: ['implicit', 'authorization_code', 'refresh_token'],
  native: ['implicit', 'authorization_code', 'refresh_token'],
  regular_web: ['implicit', 'authorization_code', 'refresh_token', 'client_credentials'],
  non_interactive: ['client_credentials'],
}

interface ClientBody {
  name?: string
  description?: string
  app_type?: AppType
  is_first_party?: boolean
  callbacks?: string[]
  allowed_logout_urls?: string[]
  web_origins?: string[]
  grant_types?: GrantType[]
  token_endpoint_auth_method?: TokenEndpointAuthMethod
  jwt_configuration?: { alg?: SigningAlg }
  refresh_token?: { rotation_type?: 'rotating' | 'non-rotating'; leeway?: number }
}

const clientProperties = {
  name: nonEmptyString,
  description: { type: 'string', maxLength: 140 },
  app_type: { type: 'string', enum: APP_TYPES },
  is_first_party: boolean,
  callbacks: urlList,
  allowed_logout_urls: urlList,
  web_origins: originList,
  grant_types: { type: 'array', items: { type: 'string', enum: GRANT_TYPES }, uniqueItems: true },
  token_endpoint_auth_method: { type: 'string', enum: AUTH_METHODS },
  jwt_configuration: {
    type: 'object',
    additionalProperties: false,
    properties: { alg: { type: 'string', enum: SIGNING_ALGS } },
  },
  refresh_token: {
    type: 'object',
    additionalProperties: false,
    properties: {
      rotation_type: { type: 'string', enum: ['rotating', 'non-rotating'] },
      leeway: { type: 'integer', minimum: 0, maximum: 3600 },
    },
  },
} as const

const validateCreate = bodyValidator<ClientBody & { name: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: clientProperties,
})

const validateUpdate = bodyValidator<ClientBody>({ type: 'object', additionalProperties: false, properties: clientProperties })

interface ListQuery extends PagingQuery {
  fields?: string
  include_fields?: boolean
  is_global?: boolean
  is_first_party?: boolean
  app_type?: string
}

const validateList = queryValidator<ListQuery>({
  type: 'object',
  additionalProperties: false,
  properties: { ...pagingProperties, ...viewProperties, is_global: boolean, is_first_party: boolean, app_type: string },
})

const validateGet = queryValidator<ListQuery>({ type: 'object', additionalProperties: false, properties: viewProperties })

const isConfidential = (client: Client) => client.token_endpoint_auth_method !== 'none'

export function clientView(client: ManagedClient, showSecret: boolean): ClientView {
  const view: ClientView = {
    client_id: client.client_id,
    name: client.name,
    app_type: client.app_type,
    is_first_party: client.is_first_party,
    oidc_conformant: true,
    callbacks: [...client.callbacks],
    allowed_logout_urls: [...client.allowed_logout_urls],
    web_origins: [...client.web_origins],
    grant_types: [...client.grant_types],
    token_endpoint_auth_method: client.token_endpoint_auth_method,
    jwt_configuration: { alg: client.jwt_configuration?.alg ?? 'RS256' },
    refresh_token: { rotation_type: client.refresh_token.rotation_type, leeway: client.refresh_token.leeway ?? 0 },
  }
  if (client.description !== undefined) view.description = client.description
  if (showSecret && client.client_secret !== undefined) view.client_secret = client.client_secret
  return view
}

function project(view: ClientView, query: { fields?: string; include_fields?: boolean }): Record<string, unknown> {
  if (query.fields === undefined || query.fields.trim() === '') return { ...view }
  const fields = new Set(query.fields.split(',').map((f) => f.trim()))
  const keep = query.include_fields !== false
  return Object.fromEntries(Object.entries(view).filter(([key]) => fields.has(key) === keep))
}

/** The rules the config file's clients follow too (config/schema.ts checkClient), said as Auth0 would. */
function checkClient(client: Client): void {
  if (!isConfidential(client) && client.grant_types.includes('client_credentials')) {
    throw badRequest(
      'client_credentials needs a confidential client (token_endpoint_auth_method client_secret_post or client_secret_basic)',
    )
  }
  if (!isConfidential(client) && client.app_type === 'non_interactive') {
    throw badRequest('a non_interactive client must authenticate (token_endpoint_auth_method client_secret_post or client_secret_basic)')
  }
  const withFragment = client.callbacks.find((uri) => uri.includes('#'))
  if (withFragment !== undefined) throw badRequest(`callbacks must not contain a fragment (#): ${withFragment}`)
}

/** Web origins are compared with what browsers send: the serialized origin. */
const origins = (list: string[]) => list.map((o) => new URL(o).origin)

/** POST /clients: Auth0 gives a confidential client a secret, and shows it in this answer. */
export async function createClient(deps: ManagementDeps, body: unknown): Promise<ClientView> {
  const input = validateCreate(body)
  const appType = input.app_type ?? 'regular_web'
  const method = input.token_endpoint_auth_method ?? (appType === 'spa' || appType === 'native' ? 'none' : 'client_secret_post')
  const client: ManagedClient = {
    client_id: deps.newId(CLIENT_ID_LENGTH),
    name: input.name,
    app_type: appType,
    callbacks: input.callbacks ?? [],
    allowed_logout_urls: input.allowed_logout_urls ?? [],
    web_origins: origins(input.web_origins ?? []),
    grant_types: input.grant_types ?? DEFAULT_GRANT_TYPES[appType].filter((g) => method !== 'none' || g !== 'client_credentials'),
    is_first_party: input.is_first_party ?? true,
    token_endpoint_auth_method: method,
    refresh_token: { rotation_type: input.refresh_token?.rotation_type ?? 'non-rotating' },
  }
  if (input.refresh_token?.leeway !== undefined) client.refresh_token.leeway = input.refresh_token.leeway
  if (input.jwt_configuration?.alg !== undefined) client.jwt_configuration = { alg: input.jwt_configuration.alg }
  if (input.description !== undefined) client.description = input.description
  if (isConfidential(client)) client.client_secret = deps.newId(SECRET_LENGTH)
  checkClient(client)
  await deps.store.set('client', client.client_id, client)
  return clientView(client, true)
}

async function findClient(store: Store, id: string): Promise<ManagedClient> {
  const client = await store.get<ManagedClient>('client', id)
  if (client === undefined) throw clientNotFound()
  return client
}

/** GET /clients/{id} */
export async function getClient(deps: ManagementDeps, id: string, query: unknown, showSecret: boolean): Promise<Record<string, unknown>> {
  const q = validateGet(query)
  return project(clientView(await findClient(deps.store, id), showSecret), q)
}

/** GET /clients: in client_id order, in pages; filtered by is_first_party, app_type (comma-separated) and is_global. */
export async function listClients(
  deps: ManagementDeps,
  query: unknown,
  showSecret: boolean,
): Promise<Paged<Record<string, unknown>, 'clients'>> {
  const q = validateList(query)
  const page = pageOf(q)
  const view = (clients: ManagedClient[]) => clients.map((c) => project(clientView(c, showSecret), q))
  // No client of a Gatehouse tenant is global (Auth0's "All Applications" client).
  if (q.is_global === true) return pagedResponse('clients', page, [], async () => 0)
  const appTypes = q.app_type === undefined ? undefined : new Set(q.app_type.split(',').map((t) => t.trim()))
  if (appTypes === undefined && q.is_first_party === undefined) {
    const clients = await deps.store.list<ManagedClient>('client', { offset: page.offset, limit: page.limit })
    return pagedResponse('clients', page, view(clients), () => deps.store.count('client'))
  }
  const matches = (c: ManagedClient) =>
    (appTypes === undefined || appTypes.has(c.app_type)) && (q.is_first_party === undefined || c.is_first_party === q.is_first_party)
  const { items, total } = await filteredPage(
    deps.store,
    'client',
    { offset: page.offset, limit: page.limit, countAll: page.includeTotals },
    matches,
  )
  return pagedResponse('clients', page, view(items), async () => total)
}

/** PATCH /clients/{id}: given fields replace the client's; jwt_configuration and refresh_token are merged. */
export async function updateClient(deps: ManagementDeps, id: string, body: unknown, showSecret: boolean): Promise<ClientView> {
  const input = validateUpdate(body)
  const previous = await findClient(deps.store, id)
  const client: ManagedClient = { ...previous, refresh_token: { ...previous.refresh_token } }
  if (input.name !== undefined) client.name = input.name
  if (input.description !== undefined) client.description = input.description
  if (input.app_type !== undefined) client.app_type = input.app_type
  if (input.is_first_party !== undefined) client.is_first_party = input.is_first_party
  if (input.callbacks !== undefined) client.callbacks = input.callbacks
  if (input.allowed_logout_urls !== undefined) client.allowed_logout_urls = input.allowed_logout_urls
  if (input.web_origins !== undefined) client.web_origins = origins(input.web_origins)
  if (input.grant_types !== undefined) client.grant_types = input.grant_types
  if (input.token_endpoint_auth_method !== undefined) client.token_endpoint_auth_method = input.token_endpoint_auth_method
  if (input.jwt_configuration?.alg !== undefined) client.jwt_configuration = { alg: input.jwt_configuration.alg }
  if (input.refresh_token?.rotation_type !== undefined) client.refresh_token.rotation_type = input.refresh_token.rotation_type
  if (input.refresh_token?.leeway !== undefined) client.refresh_token.leeway = input.refresh_token.leeway
  // A client that becomes confidential needs a secret to authenticate with.
  if (isConfidential(client) && client.client_secret === undefined) client.client_secret = deps.newId(SECRET_LENGTH)
  checkClient(client)
  await deps.store.set('client', client.client_id, client)
  return clientView(client, showSecret)
}

/** DELETE /clients/{id}: the client, its generated secret and its client grants. */
export async function deleteClient(deps: ManagementDeps, id: string): Promise<void> {
  await findClient(deps.store, id)
  await deps.store.delete('client', id)
  await deps.store.delete('client_secret', id)
  const prefix = `${JSON.stringify([id]).slice(0, -1)},`
  for (;;) {
    const grants = await deps.store.list<ClientGrant>('client_grant', { prefix, limit: 100 })
    if (grants.length === 0) break
    for (const g of grants) await deps.store.delete('client_grant', clientGrantId(g.client_id, g.audience))
  }
}

/** POST /clients/{id}/rotate-secret: a new secret; the old one stops working at once. */
export async function rotateSecret(deps: ManagementDeps, id: string): Promise<ClientView> {
  const client = await findClient(deps.store, id)
  client.client_secret = deps.newId(SECRET_LENGTH)
  await deps.store.set('client', id, client)
  // A secret Gatehouse generated for a config client is kept for the next start: keep the new one instead.
  if (client.client_secret_generated === true) await deps.store.set('client_secret', id, client.client_secret)
  return clientView(client, true)
}
