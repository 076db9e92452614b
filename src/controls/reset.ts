// POST /_gatehouse/reset: the store back to the config file's tenant. What the config names is written
// over (never deleted first, so a request running meanwhile still finds its client); whatever else was
// created at runtime goes; signing keys stay, so tokens keep verifying against the same JWKS.
import type { Config } from '../config/types.js'
import { PLAYGROUND_CLIENT_ID } from '../playground/urls.js'
import type { Kind, Store } from '../store/store.js'
import { clientGrantId } from '../tenant/seed.js'
import { deleteUser } from '../tenant/users.js'

/** How the reset clears one kind of entry. */
type Wipe =
  /** kept, and why */
  | { how: 'keep'; why: string }
  /** the config's entries are seeded again over their runtime changes; every other entry is deleted */
  | { how: 'runtime-only'; idOf: (value: unknown) => string | undefined }
  /** every entry is deleted */
  | { how: 'clear' }
  /** deleted together with the entries they belong to */
  | { how: 'with-owner'; owner: Kind }
  /** written again by seeding */
  | { how: 'seeded' }

const field = (name: string) => (value: unknown) => {
  const id = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined
  return typeof id === 'string' ? id : undefined
}

/** An id made from the value's fields, when the value has them all. */
const made =
  <T>(idOf: (value: T) => string, ...fields: (keyof T & string)[]) =>
  (value: unknown) =>
    value !== null && typeof value === 'object' && fields.every((f) => typeof (value as Record<string, unknown>)[f] === 'string')
      ? idOf(value as T)
      : undefined

const REVOCATION_MARKERS = 'revocation markers only ever make tokens issued before the reset less valid, and expire with them'
const CLEAR: Wipe = { how: 'clear' }

/**
 * Every kind the store has, and what the reset does with it. A kind added to the store must be added
 * here (the compiler says so).
 */
const WIPES: { readonly [K in Kind]: Wipe } = {
  // ephemeral state first, then what it refers to
  session: CLEAR,
  interaction: CLEAR,
  login_attempt: CLEAR,
  code: CLEAR,
  refresh_token: CLEAR,
  grant: CLEAR,
  // RBAC: everything goes, and seeding puts the config's roles and assignments back
  user_role: CLEAR,
  role_user: CLEAR,
  role_permission: CLEAR,
  user_permission: CLEAR,
  role: CLEAR,
  role_name: CLEAR,
  client_grant: { how: 'runtime-only', idOf: made<{ client_id: string; audience: string }>((g) => clientGrantId(g.client_id, g.audience), 'client_id', 'audience') },
  client: { how: 'runtime-only', idOf: field('client_id') },
  client_secret: { how: 'with-owner', owner: 'client' },
  resource_server: { how: 'runtime-only', idOf: field('identifier') },
  user: { how: 'runtime-only', idOf: field('user_id') },
  user_lookup: { how: 'with-owner', owner: 'user' },
  token_family: { how: 'keep', why: REVOCATION_MARKERS },
  revoked: { how: 'keep', why: REVOCATION_MARKERS },
  seeded: { how: 'seeded' },
  signing_key: { how: 'keep', why: 'signing keys' },
  signing_key_state: { how: 'keep', why: 'signing key rotation' },
  signing_key_cert: { how: 'keep', why: 'signing key certificates' },
}

export interface ResetStoreDeps {
  config: Config
  store: Store
  /** puts the config file's tenant (and the playground client, when on) into the store */
  seed: () => Promise<void>
  /** whether the playground client belongs to this tenant */
  playground: boolean
}

export interface StoreResetReport {
  /** entries deleted, by kind */
  deleted: Partial<Record<Kind, number>>
  /** kinds left as they were */
  kept: Kind[]
}

const PAGE = 500

/** Every live value of a kind, page by page: the ids are all read before anything is deleted. */
async function allValues(store: Store, kind: Kind): Promise<unknown[]> {
  const values: unknown[] = []
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.list<unknown>(kind, { offset, limit: PAGE })
    values.push(...page)
    if (page.length < PAGE) return values
  }
}

/** The ids the config file (and the playground) seeds, by kind. */
function seededIds(config: Config, playground: boolean): Partial<Record<Kind, Set<string>>> {
  const { tenant } = config
  const clients = new Set(tenant.clients.map((c) => c.client_id))
  if (playground) clients.add(PLAYGROUND_CLIENT_ID)
  const apis = new Set(tenant.resource_servers.map((api) => api.identifier))
  const grants = new Set(tenant.client_grants.map((g) => clientGrantId(g.client_id, g.audience)))
  // The playground's grants to configured APIs are seeded again; those to APIs made at runtime go with them.
  if (playground) for (const api of apis) grants.add(clientGrantId(PLAYGROUND_CLIENT_ID, api))
  return { client: clients, resource_server: apis, user: new Set(tenant.users.map((u) => u.user_id)), client_grant: grants }
}

export async function resetStore(deps: ResetStoreDeps): Promise<StoreResetReport> {
  const { store, config } = deps
  const seeded = seededIds(config, deps.playground)
  const report: StoreResetReport = { deleted: {}, kept: [] }
  const count = (kind: Kind, n = 1) => void (report.deleted[kind] = (report.deleted[kind] ?? 0) + n)

  for (const kind of Object.keys(WIPES) as Kind[]) {
    const wipe = WIPES[kind]
    if (wipe.how === 'keep') {
      report.kept.push(kind)
      continue
    }
    if (wipe.how === 'clear') {
      const cleared = await store.clear(kind)
      if (cleared > 0) count(kind, cleared)
    } else if (wipe.how === 'runtime-only') {
      const keep = seeded[kind] ?? new Set<string>()
      for (const value of await allValues(store, kind)) {
        const id = wipe.idOf(value)
        if (id === undefined || keep.has(id)) continue
        await deleteEntry(store, kind, id)
        count(kind)
      }
    }
  }
  await deps.seed()
  return report
}

/** Deletes one entry and what is kept for it under other kinds. */
async function deleteEntry(store: Store, kind: Kind, id: string): Promise<void> {
  if (kind === 'user') return deleteUser(store, id)
  await store.delete(kind, id)
  if (kind === 'client') await store.delete('client_secret', id)
}
