// The `event` an Action is given, in the shape of Auth0's post-login and credentials-exchange event
// objects, built from what the flow knows (its TokenCall). Only plain data: it is copied to the
// Action's thread.
import { splitList } from '../authorize/params.js'
import type { Client } from '../config/types.js'
import { DATABASE_CONNECTION, userView, type UserView } from '../management/users.js'
import type { StoredUser } from '../tenant/users.js'
import type { RequestFacts, TokenCall } from '../tokens/plan.js'

type Metadata = Record<string, unknown>

export interface EventUser extends UserView {
  app_metadata: Metadata
  user_metadata: Metadata
  multifactor: string[]
}

export interface EventClient {
  client_id: string
  name: string
  metadata: Record<string, string>
}

export interface EventRequest extends RequestFacts {
  geoip: Record<string, unknown>
}

export interface EventTransaction {
  /** oidc-basic-profile, oidc-implicit-profile, oidc-hybrid-profile, oauth2-password, oauth2-refresh-token */
  protocol: string
  requested_scopes: string[]
  locale: string
  ui_locales: string[]
  acr_values: string[]
  redirect_uri?: string
  response_type?: string[]
  response_mode?: string
  state?: string
  prompt?: string[]
  login_hint?: string
}

/** Auth0's post-login event object: the fields Gatehouse knows. */
export interface PostLoginEvent {
  user: EventUser
  client: EventClient
  connection: { id: string; name: string; strategy: string; metadata: Record<string, string> }
  request: EventRequest
  transaction: EventTransaction
  authorization: { roles: string[] }
  authentication?: { methods: { name: string; timestamp: string }[] }
  resource_server?: { identifier: string }
  session?: { id: string }
  stats: { logins_count: number }
  tenant: { id: string }
  secrets: Record<string, string>
}

/** Auth0's credentials-exchange event object. */
export interface CredentialsExchangeEvent {
  accessToken: { customClaims: Record<string, unknown>; scope: string[] }
  client: EventClient
  request: EventRequest
  resource_server: { identifier: string }
  transaction: { requested_scopes: string[] }
  tenant: { id: string }
  secrets: Record<string, string>
}

/** Gatehouse has one database connection, the one every Auth0 tenant starts with. */
const CONNECTION = { id: 'con_gatehouse', name: DATABASE_CONNECTION, strategy: 'auth0', metadata: {} }

export const eventClient = (client: Client): EventClient => ({ client_id: client.client_id, name: client.name, metadata: {} })

export function eventRequest(request: RequestFacts | undefined): EventRequest {
  return { ...(request ?? { ip: '', hostname: '', method: '', query: {}, body: {} }), geoip: {} }
}

export function eventUser(user: StoredUser): EventUser {
  const view = userView(user)
  return { ...view, app_metadata: { ...user.app_metadata }, user_metadata: { ...user.user_metadata }, multifactor: [] }
}

export interface PostLoginFacts {
  call: TokenCall
  user: StoredUser
  roles: string[]
  loginsCount: number
  /** seconds since the epoch the user authenticated, when known */
  authTime?: number
  /** the scopes the flow is granting, for a token request that names none */
  scopes: readonly string[]
  /** event.tenant.id */
  tenant: string
}

/** The event without `secrets`, which each Action gets its own of. */
export function postLoginEvent(facts: PostLoginFacts): Omit<PostLoginEvent, 'secrets'> {
  const { call } = facts
  const event: Omit<PostLoginEvent, 'secrets'> = {
    user: eventUser(facts.user),
    client: eventClient(call.client),
    connection: CONNECTION,
    request: eventRequest(call.request),
    transaction: transactionOf(call, facts.scopes),
    authorization: { roles: facts.roles },
    stats: { logins_count: facts.loginsCount },
    tenant: { id: facts.tenant },
  }
  if (facts.authTime !== undefined) event.authentication = { methods: [{ name: 'pwd', timestamp: new Date(facts.authTime * 1000).toISOString() }] }
  if (call.api !== undefined) event.resource_server = { identifier: call.api.identifier }
  if (call.sessionId !== undefined) event.session = { id: call.sessionId }
  return event
}

function transactionOf(call: TokenCall, scopes: readonly string[]): EventTransaction {
  if (call.trigger !== 'authorize') {
    const asked = call.request?.body.scope
    return {
      protocol: call.trigger === 'refresh_token' ? 'oauth2-refresh-token' : 'oauth2-password',
      requested_scopes: asked === undefined ? [...scopes] : splitList(asked),
      locale: 'en',
      ui_locales: [],
      acr_values: [],
    }
  }
  const params = call.authorize ?? {}
  const responseTypes = call.responseTypes ?? splitList(params.response_type)
  const transaction: EventTransaction = {
    protocol: protocolOf(responseTypes),
    requested_scopes: splitList(params.scope),
    locale: 'en',
    ui_locales: splitList(params.ui_locales),
    acr_values: splitList(params.acr_values),
    response_type: [...responseTypes],
  }
  if (call.redirectUri !== undefined) transaction.redirect_uri = call.redirectUri
  if (call.responseMode !== undefined) transaction.response_mode = call.responseMode
  if (params.state !== undefined) transaction.state = params.state
  if (params.prompt !== undefined) transaction.prompt = splitList(params.prompt)
  if (params.login_hint !== undefined) transaction.login_hint = params.login_hint
  return transaction
}

/** Auth0's names for the OIDC flows, by response_type. */
function protocolOf(responseTypes: readonly string[]): string {
  if (!responseTypes.includes('code')) return 'oidc-implicit-profile'
  return responseTypes.length > 1 ? 'oidc-hybrid-profile' : 'oidc-basic-profile'
}

export interface ExchangeFacts {
  call: TokenCall
  scopes: readonly string[]
  tenant: string
}

/** The credentials-exchange event without `secrets` and `accessToken.customClaims`, which change per Action. */
export function credentialsExchangeEvent(facts: ExchangeFacts): Omit<CredentialsExchangeEvent, 'secrets' | 'accessToken'> {
  const { call } = facts
  const asked = call.request?.body.scope
  return {
    client: eventClient(call.client),
    request: eventRequest(call.request),
    resource_server: { identifier: call.api?.identifier ?? '' },
    transaction: { requested_scopes: asked === undefined ? [...facts.scopes] : splitList(asked) },
    tenant: { id: facts.tenant },
  }
}
