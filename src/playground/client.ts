// The playground's own client, registered in every tenant: a confidential web app whose secret only
// Gatehouse's playground backend holds, so that one client can run every flow, client_credentials included.
import type { Client, ClientGrant, ResourceServer } from '../config/types.js'
import type { Store } from '../store/store.js'
import { clientGrantId } from '../tenant/seed.js'
import type { IdGenerator } from '../util/ids.js'
import { PLAYGROUND_CLIENT_ID, playgroundUrls } from './urls.js'

// Auth0's client secrets are 64 URL-safe characters.
const SECRET_LENGTH = 64

/** The playground client for this issuer; its secret is made at every start and never shown or logged. */
export function playgroundClient(issuer: string, secret: string): Client {
  const urls = playgroundUrls(issuer)
  return {
    client_id: PLAYGROUND_CLIENT_ID,
    name: 'Gatehouse Playground',
    app_type: 'regular_web',
    callbacks: [urls.callback],
    allowed_logout_urls: [urls.callback],
    // for web_message: the silent-authentication response is posted to this origin
    web_origins: [new URL(issuer).origin],
    grant_types: ['implicit', 'authorization_code', 'refresh_token', 'client_credentials', 'password'],
    // third party, so that the consent page (and consent_required) is part of what the learner sees
    is_first_party: false,
    client_secret: secret,
    token_endpoint_auth_method: 'client_secret_basic',
    refresh_token: { rotation_type: 'rotating' },
  }
}

export interface SeedPlaygroundOptions {
  issuer: string
  newId: IdGenerator
  /** client_ids the config file defines: a configured gatehouse-playground is kept as it is */
  configuredClientIds: readonly string[]
  log: (message: string) => void
}

/**
 * Registers the playground client, and a client grant to every API with all its scopes so that the
 * playground can show client_credentials; grants the config already made are kept.
 */
export async function seedPlayground(store: Store, opts: SeedPlaygroundOptions): Promise<void> {
  if (opts.configuredClientIds.includes(PLAYGROUND_CLIENT_ID)) {
    opts.log(`the config defines client ${PLAYGROUND_CLIENT_ID}; the playground uses it as configured`)
  } else {
    await store.set('client', PLAYGROUND_CLIENT_ID, playgroundClient(opts.issuer, opts.newId(SECRET_LENGTH)))
  }
  for (const api of await store.list<ResourceServer>('resource_server')) {
    const id = clientGrantId(PLAYGROUND_CLIENT_ID, api.identifier)
    if ((await store.get<ClientGrant>('client_grant', id)) !== undefined) continue
    const grant: ClientGrant = { client_id: PLAYGROUND_CLIENT_ID, audience: api.identifier, scope: api.scopes.map((s) => s.value) }
    await store.set('client_grant', id, grant)
  }
}

/** With the playground off, a persistent store forgets the client (and its grants) an earlier start registered. */
export async function removePlayground(store: Store, configuredClientIds: readonly string[]): Promise<void> {
  if (configuredClientIds.includes(PLAYGROUND_CLIENT_ID)) return
  if ((await store.get('client', PLAYGROUND_CLIENT_ID)) === undefined) return
  await store.delete('client', PLAYGROUND_CLIENT_ID)
  for (const api of await store.list<ResourceServer>('resource_server')) {
    await store.delete('client_grant', clientGrantId(PLAYGROUND_CLIENT_ID, api.identifier))
  }
}
