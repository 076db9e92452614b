// Users' consent grants (Auth0's /api/v2/grants): what each user allowed each client at each API.
// The store keys a grant by [user, client, audience] (interaction/models.ts grantId), so one user's
// grants, or one user's grants to one client, are an id prefix.

import { grantId, type Grant } from '../interaction/models.js'
import type { Store } from '../store/store.js'
import type { ManagementDeps } from './deps.js'
import { filteredPage } from './deps.js'
import { grantNotFound } from './errors.js'
import { pagedResponse, pageOf, type Paged, type PagingQuery } from './paging.js'
import { nonEmptyString, pagingProperties, queryValidator } from './validation.js'

/** A grant in Auth0's spelling (clientID, as its API has it). */
export interface GrantView {
  id: string
  clientID: string
  user_id: string
  audience: string
  scope: string[]
}

interface ListQuery extends PagingQuery {
  user_id?: string
  client_id?: string
  audience?: string
}

const validateList = queryValidator<ListQuery>({
  type: 'object',
  additionalProperties: false,
  properties: { ...pagingProperties, user_id: nonEmptyString, client_id: nonEmptyString, audience: nonEmptyString },
})

const validateDeleteByUser = queryValidator<{ user_id: string }>({
  type: 'object',
  additionalProperties: false,
  required: ['user_id'],
  properties: { user_id: nonEmptyString },
})

// The id prefix of one user's grants, optionally to one client: the JSON array's text up to that member.
const userPrefix = (sub: string, clientId?: string) =>
  `${JSON.stringify(clientId === undefined ? [sub] : [sub, clientId]).slice(0, -1)},`

/** The public id: the store's id in base64url, so it travels in a URL path as one segment. */
const publicId = (storeId: string) => Buffer.from(storeId, 'utf8').toString('base64url')

/** The store id a public id stands for, when it is one Gatehouse could have made. */
function storeIdOf(id: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return undefined
  const decoded = Buffer.from(id, 'base64url').toString('utf8')
  try {
    const parts: unknown = JSON.parse(decoded)
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === 'string')) return undefined
    const [sub, clientId, audience] = parts as [string, string, string]
    return grantId(sub, clientId, audience) === decoded ? decoded : undefined
  } catch {
    return undefined
  }
}

// A consent without an API is stored with audience ''; Auth0 shows its /userinfo audience.
const userinfoAudience = (deps: ManagementDeps) => `${deps.config.issuer}userinfo`

function grantView(deps: ManagementDeps, grant: Grant): GrantView {
  return {
    id: publicId(grantId(grant.sub, grant.clientId, grant.audience)),
    clientID: grant.clientId,
    user_id: grant.sub,
    audience: grant.audience === '' ? userinfoAudience(deps) : grant.audience,
    scope: [...grant.scopes],
  }
}

/** GET /grants: filtered by user_id, client_id and audience, in pages. */
export async function listGrants(deps: ManagementDeps, query: unknown): Promise<Paged<GrantView, 'grants'>> {
  const q = validateList(query)
  const page = pageOf(q)
  const audience = q.audience === userinfoAudience(deps) ? '' : q.audience
  const view = (grants: Grant[]) => grants.map((g) => grantView(deps, g))

  if (q.user_id !== undefined && q.client_id !== undefined && audience !== undefined) {
    const grant = await deps.store.get<Grant>('grant', grantId(q.user_id, q.client_id, audience))
    const all = grant === undefined ? [] : [grant]
    return pagedResponse('grants', page, view(all.slice(page.offset, page.offset + page.limit)), async () => all.length)
  }
  const prefix = q.user_id === undefined ? undefined : userPrefix(q.user_id, q.client_id)
  const unindexed = (q.client_id !== undefined && q.user_id === undefined) || audience !== undefined
  if (!unindexed) {
    const grants = await deps.store.list<Grant>('grant', { prefix, offset: page.offset, limit: page.limit })
    return pagedResponse('grants', page, view(grants), () => deps.store.count('grant', prefix))
  }
  const matches = (g: Grant) => (q.client_id === undefined || g.clientId === q.client_id) && (audience === undefined || g.audience === audience)
  const { items, total } = await filteredPage(
    deps.store,
    'grant',
    { prefix, offset: page.offset, limit: page.limit, countAll: page.includeTotals },
    matches,
  )
  return pagedResponse('grants', page, view(items), async () => total)
}

/** DELETE /grants/{id}: the consent is forgotten, so the next /authorize asks again. */
export async function deleteGrant(deps: ManagementDeps, id: string): Promise<void> {
  const storeId = storeIdOf(id)
  if (storeId === undefined || (await deps.store.get<Grant>('grant', storeId)) === undefined) throw grantNotFound()
  await deps.store.delete('grant', storeId)
}

/** DELETE /grants?user_id=: every consent the user gave. */
export async function deleteGrantsByUser(deps: ManagementDeps, query: unknown): Promise<void> {
  const { user_id } = validateDeleteByUser(query)
  await deleteGrantsOf(deps.store, user_id)
}

/** Deletes a user's grants, a batch at a time. */
export async function deleteGrantsOf(store: Store, userId: string): Promise<void> {
  const prefix = userPrefix(userId)
  for (;;) {
    const batch = await store.list<Grant>('grant', { prefix, limit: 100 })
    if (batch.length === 0) return
    for (const g of batch) await store.delete('grant', grantId(g.sub, g.clientId, g.audience))
  }
}
