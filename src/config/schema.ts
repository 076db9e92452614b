// The config file's shape (JSON Schema) and the meaning checks that need the whole tenant.

import type { ErrorObject } from 'ajv'
import { MANAGEMENT_SCOPES, managementAudience } from '../management/scopes.js'
import { checkAccess } from '../rbac/config-check.js'
import { MESSAGE, compileConfigValidator } from './compile-validator.js'
import { isHttpUrl, lacksScheme, withScheme } from './formats.js'
import { nearestKey } from './nearest-key.js'
import type {
  ActionTrigger,
  AppType,
  AttackProtection,
  Client,
  ClientGrant,
  GrantType,
  LogFormat,
  ResourceServer,
  RoleInput,
  SigningAlg,
  Tenant,
  TokenDialect,
  TokenEndpointAuthMethod,
  Ttls,
  User
} from './types.js'

/** A problem found in the config, at a JS-ish path such as `clients[0].callbacks[1]` ("" for the root). */
export interface ConfigIssue {
  path: string
  message: string
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]
export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json']

export const APP_TYPES: readonly AppType[] = ['spa', 'native', 'regular_web', 'non_interactive']
export const GRANT_TYPES: readonly GrantType[] = [
  'implicit',
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'password'
]
export const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ['none', 'client_secret_post', 'client_secret_basic']
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256']
export const TOKEN_DIALECTS: readonly TokenDialect[] = ['access_token', 'access_token_authz', 'rfc9068_profile', 'rfc9068_profile_authz']
export const ACTION_TRIGGERS: readonly ActionTrigger[] = ['post-login', 'credentials-exchange']
/** Longest an Action may run, in milliseconds (Auth0 stops Actions after 20 s) */
export const MAX_ACTION_TIMEOUT_MS = 20_000

// What the file may hold: required keys as in the types, everything else optional (load.ts fills defaults).
export type ClientInput = Pick<Client, 'client_id' | 'name'> &
  Partial<Omit<Client, 'client_id' | 'name' | 'refresh_token'>> & {
    refresh_token?: Partial<Client['refresh_token']>
  }
export type ApiScopeInput = { value: string; description?: string }
export type ResourceServerInput = Pick<ResourceServer, 'identifier'> &
  Partial<Omit<ResourceServer, 'identifier' | 'scopes'>> & { scopes?: ApiScopeInput[] }
export type ClientGrantInput = Pick<ClientGrant, 'client_id' | 'audience'> & { scope?: string[] }
export interface ActionInput {
  name: string
  trigger: ActionTrigger
  /** relative to the config file */
  script: string
  secrets?: Record<string, string>
  timeout_ms?: number
}
export interface ConfigFile {
  $schema?: string
  clients?: ClientInput[]
  resource_servers?: ResourceServerInput[]
  users?: User[]
  client_grants?: ClientGrantInput[]
  roles?: RoleInput[]
  actions?: ActionInput[]
  /** the test controls under <issuer>_gatehouse/ */
  test_controls?: boolean
  issuer?: string
  port?: number
  host?: string
  keys_dir?: string
  store?: string
  ttl?: Partial<Ttls>
  log_level?: LogLevel
  log_format?: LogFormat
  default_audience?: string
  attack_protection?: AttackProtection
  /** false turns the playground (and its client gatehouse-playground) off */
  playground?: boolean
  /** HTTPS with a development CA kept in <keys_dir>/tls/ */
  tls?: boolean
  /** your own certificate and key instead (PEM files, relative to the config file); both or neither */
  tls_cert?: string
  tls_key?: string
}

const nonEmpty = { type: 'string', minLength: 1, [MESSAGE]: 'must be a non-empty string' }
const bool = { type: 'boolean' }
const absoluteUrl = { type: 'string', format: 'absolute-url', [MESSAGE]: 'must be an absolute URL' }
const origin = {
  type: 'string',
  format: 'origin',
  [MESSAGE]: 'must be an origin (scheme://host[:port], no path)'
}
const positiveInt = { type: 'integer', minimum: 1, [MESSAGE]: 'must be a positive integer' }
const scopeToken = {
  type: 'string',
  format: 'scope-token',
  [MESSAGE]: 'must be a scope token (printable ASCII without spaces, quotes or backslashes)'
}
const list = (items: object) => ({ type: 'array', items })

const clientSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['client_id', 'name'],
  properties: {
    client_id: nonEmpty,
    name: nonEmpty,
    app_type: { enum: APP_TYPES },
    callbacks: list(absoluteUrl),
    allowed_logout_urls: list(absoluteUrl),
    web_origins: list(origin),
    grant_types: { type: 'array', items: { enum: GRANT_TYPES }, uniqueItems: true },
    is_first_party: bool,
    client_secret: nonEmpty,
    token_endpoint_auth_method: { enum: AUTH_METHODS },
    // Auth0's other members (lifetime_in_seconds, secret_encoded, scopes) are not implemented
    jwt_configuration: {
      type: 'object',
      additionalProperties: false,
      properties: { alg: { enum: SIGNING_ALGS } }
    },
    refresh_token: {
      type: 'object',
      additionalProperties: false,
      properties: {
        rotation_type: { enum: ['rotating', 'non-rotating'] },
        // Auth0's reuse interval: seconds in which a rotated token may still be used (several tabs)
        leeway: { type: 'integer', minimum: 0, maximum: 3600 }
      }
    }
  }
}

const resourceServerSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['identifier'],
  properties: {
    identifier: nonEmpty,
    name: nonEmpty,
    scopes: list({
      type: 'object',
      additionalProperties: false,
      required: ['value'],
      properties: { value: scopeToken, description: { type: 'string' } }
    }),
    token_lifetime: positiveInt,
    token_lifetime_for_web: positiveInt,
    signing_alg: { enum: SIGNING_ALGS },
    skip_consent_for_verifiable_first_party_clients: bool,
    allow_offline_access: bool,
    enforce_policies: bool,
    token_dialect: { enum: TOKEN_DIALECTS }
  }
}

const permissionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['resource_server_identifier', 'permission_name'],
  properties: { resource_server_identifier: nonEmpty, permission_name: scopeToken }
}

const roleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: nonEmpty,
    description: { type: 'string' },
    permissions: list(permissionSchema)
  }
}

const actionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'trigger', 'script'],
  properties: {
    name: nonEmpty,
    trigger: { enum: ACTION_TRIGGERS },
    script: nonEmpty,
    secrets: { type: 'object', additionalProperties: { type: 'string' } },
    timeout_ms: {
      type: 'integer',
      minimum: 1,
      maximum: MAX_ACTION_TIMEOUT_MS,
      [MESSAGE]: `must be an integer between 1 and ${MAX_ACTION_TIMEOUT_MS} (milliseconds)`
    }
  }
}

const metadata = { type: 'object' }

const userSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['user_id', 'password'],
  properties: {
    user_id: nonEmpty,
    email: { type: 'string', format: 'email', [MESSAGE]: 'must be an email address' },
    username: nonEmpty,
    password: nonEmpty,
    email_verified: bool,
    name: { type: 'string' },
    given_name: { type: 'string' },
    family_name: { type: 'string' },
    nickname: { type: 'string' },
    picture: absoluteUrl,
    app_metadata: metadata,
    user_metadata: metadata,
    roles: { type: 'array', items: nonEmpty, uniqueItems: true },
    permissions: list(permissionSchema)
  }
}

const clientGrantSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['client_id', 'audience'],
  properties: {
    client_id: nonEmpty,
    audience: nonEmpty,
    scope: { type: 'array', items: scopeToken, uniqueItems: true }
  }
}

export const configFileSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // lets editors find a schema; ignored here
    $schema: { type: 'string' },
    clients: list(clientSchema),
    resource_servers: list(resourceServerSchema),
    users: list(userSchema),
    client_grants: list(clientGrantSchema),
    roles: list(roleSchema),
    // the user's Auth0 Actions, run in this order (Auth0's flow order)
    actions: list(actionSchema),
    // POST <issuer>_gatehouse/reset, scenarios, tokens, clock, events: for tests only
    test_controls: bool,
    issuer: {
      type: 'string',
      format: 'http-url',
      [MESSAGE]: 'must be an http(s) URL without query or fragment'
    },
    port: { type: 'integer', minimum: 0, maximum: 65535, [MESSAGE]: 'must be an integer between 0 and 65535' },
    host: nonEmpty,
    keys_dir: nonEmpty,
    // where state is kept (see store/url.ts)
    store: {
      type: 'string',
      pattern: '^(memory:$|sqlite:.|postgres(ql)?://.)',
      [MESSAGE]: 'must be memory:, sqlite:PATH or postgres://user:password@host:port/database',
    },
    ttl: {
      type: 'object',
      additionalProperties: false,
      properties: {
        interaction: positiveInt,
        session: positiveInt,
        // Authorization codes are short-lived by design (RFC 6749 §4.1.2; Auth0 uses 60 s).
        code: { type: 'integer', minimum: 1, maximum: 60, [MESSAGE]: 'must be an integer between 1 and 60 (seconds)' },
        id_token: positiveInt,
        refresh_token: positiveInt
      }
    },
    log_level: { enum: LOG_LEVELS },
    log_format: { enum: LOG_FORMATS },
    // the teaching pages at <issuer>playground and their client gatehouse-playground; on unless false
    playground: bool,
    // HTTPS: a development CA in <keys_dir>/tls/, or the certificate and key files named (both or neither)
    tls: bool,
    tls_cert: nonEmpty,
    tls_key: nonEmpty,
    // Auth0's tenant setting: the API meant when a request names no audience
    default_audience: nonEmpty,
    // Auth0's /attack-protection/brute-force-protection settings (Dashboard: 1 to 100 attempts)
    attack_protection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        brute_force_protection: {
          type: 'object',
          additionalProperties: false,
          properties: {
            enabled: bool,
            max_attempts: { type: 'integer', minimum: 1, maximum: 100, [MESSAGE]: 'must be an integer between 1 and 100' }
          }
        }
      }
    }
  }
} as const

// Compiled on first use: starting on the demo tenant needs no schema.
let compiled: ReturnType<typeof compileConfigValidator<ConfigFile>> | undefined
const configValidator = () => (compiled ??= compileConfigValidator<ConfigFile>(configFileSchema))

/** `/clients/0/callbacks/1` → `clients[0].callbacks[1]` */
export function formatPath(pointer: string): string {
  if (pointer === '') return ''
  let out = ''
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (/^\d+$/.test(segment)) out += `[${segment}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object'
}

const URL_FORMATS = new Set(['absolute-url', 'origin', 'http-url'])

function unknownKey(key: string, parentSchema: unknown): string {
  const known = Object.keys((parentSchema as { properties?: object } | undefined)?.properties ?? {})
  const near = nearestKey(key, known)
  return `unknown key ${JSON.stringify(key)}${near === undefined ? '' : `; did you mean ${JSON.stringify(near)}?`}`
}

function describeError(error: ErrorObject): ConfigIssue {
  const path = formatPath(error.instancePath)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties':
      return { path, message: unknownKey(String(params.additionalProperty), error.parentSchema) }
    case 'required':
      return { path, message: `missing required key ${JSON.stringify(params.missingProperty)}` }
    case 'format':
      if (URL_FORMATS.has(String(params.format)) && typeof error.data === 'string' && lacksScheme(error.data)) {
        return { path, message: `${JSON.stringify(error.data)} has no scheme; did you mean ${JSON.stringify(withScheme(error.data))}?` }
      }
  }
  const custom = (error.parentSchema as Record<string, unknown> | undefined)?.[MESSAGE]
  if (typeof custom === 'string') return { path, message: custom }
  switch (error.keyword) {
    case 'type':
      return { path, message: `must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}` }
    case 'enum':
      return {
        path,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`
      }
    case 'uniqueItems':
      return { path, message: `must not repeat a value (items ${String(params.j)} and ${String(params.i)} are equal)` }
    default:
      return { path, message: error.message ?? 'is invalid' }
  }
}

export type FileCheck = { ok: true; file: ConfigFile } | { ok: false; issue: ConfigIssue }

/** Shape only: types, unknown keys, formats. Reports the first problem. */
export function checkConfigFile(data: unknown): FileCheck {
  const validateConfigFile = configValidator()
  if (validateConfigFile(data)) return { ok: true, file: data }
  const [first] = validateConfigFile.errors ?? []
  return { ok: false, issue: first ? describeError(first) : { path: '', message: 'is invalid' } }
}

function findDuplicate<T>(
  items: readonly T[],
  key: (item: T) => string | undefined
): { index: number; first: number; value: string } | undefined {
  const seen = new Map<string, number>()
  for (const [index, item] of items.entries()) {
    const value = key(item)
    if (value === undefined) continue
    const first = seen.get(value)
    if (first !== undefined) return { index, first, value }
    seen.set(value, index)
  }
  return undefined
}

function checkUnique<T>(
  items: readonly T[],
  listName: string,
  field: keyof T & string,
  normalize: (value: string) => string = (v) => v
): ConfigIssue | undefined {
  const dup = findDuplicate(items, (item) => {
    const value = item[field]
    return typeof value === 'string' ? normalize(value) : undefined
  })
  if (!dup) return undefined
  const shown = String(items[dup.index]?.[field])
  return {
    path: `${listName}[${dup.index}].${field}`,
    message: `${JSON.stringify(shown)} is already used by ${listName}[${dup.first}]`
  }
}

// A confidential client without client_secret is fine: a secret is generated at seeding, as Auth0 generates one.
function checkClient(client: Client, at: string): ConfigIssue | undefined {
  const confidential = client.token_endpoint_auth_method !== 'none'
  // RFC 6749 §4.4: the client credentials grant is for confidential clients only.
  if (!confidential && client.grant_types.includes('client_credentials')) {
    return {
      path: `${at}.grant_types`,
      message: 'client_credentials needs a confidential client (token_endpoint_auth_method client_secret_post or client_secret_basic)'
    }
  }
  if (!confidential && client.app_type === 'non_interactive') {
    return {
      path: `${at}.token_endpoint_auth_method`,
      message: 'a non_interactive client must authenticate (client_secret_post or client_secret_basic)'
    }
  }
  // RFC 6749 §3.1.2: redirection endpoints must not include a fragment.
  const withFragment = client.callbacks.findIndex((uri) => uri.includes('#'))
  if (withFragment !== -1) {
    return { path: `${at}.callbacks[${withFragment}]`, message: 'must not contain a fragment (#)' }
  }
  return undefined
}

/**
 * A client grant's audience names the Management API: <issuer>api/v2/ when the issuer is known, else any
 * http(s) URL whose path ends in /api/v2/ (the token endpoint accepts only the issuer's own).
 */
function isManagementAudience(audience: string, issuer: string | undefined): boolean {
  if (issuer !== undefined) return audience === managementAudience(issuer)
  return isHttpUrl(audience) && new URL(audience).pathname.endsWith('/api/v2/')
}

/** Meaning checks that span entities: uniqueness, references, client rules. Reports the first problem. */
export function checkTenant(tenant: Tenant, issuer?: string): ConfigIssue | undefined {
  const lower = (v: string) => v.toLowerCase()
  const unique =
    checkUnique(tenant.clients, 'clients', 'client_id') ??
    checkUnique(tenant.resource_servers, 'resource_servers', 'identifier') ??
    checkUnique(tenant.users, 'users', 'user_id') ??
    checkUnique(tenant.users, 'users', 'email', lower) ??
    checkUnique(tenant.users, 'users', 'username', lower)
  if (unique) return unique

  for (const [i, client] of tenant.clients.entries()) {
    const issue = checkClient(client, `clients[${i}]`)
    if (issue) return issue
  }

  for (const [i, api] of tenant.resource_servers.entries()) {
    const dup = findDuplicate(api.scopes, (s) => s.value)
    if (dup) {
      return {
        path: `resource_servers[${i}].scopes[${dup.index}].value`,
        message: `${JSON.stringify(dup.value)} is already defined by resource_servers[${i}].scopes[${dup.first}]`
      }
    }
  }

  for (const [i, user] of tenant.users.entries()) {
    if (user.email === undefined && user.username === undefined) {
      return { path: `users[${i}]`, message: 'needs an email or a username to sign in with' }
    }
  }

  for (const [i, grant] of tenant.client_grants.entries()) {
    const at = `client_grants[${i}]`
    if (!tenant.clients.some((c) => c.client_id === grant.client_id)) {
      return { path: `${at}.client_id`, message: `no client ${JSON.stringify(grant.client_id)} in clients` }
    }
    // The Management API exists without being configured; its scopes are Auth0's.
    if (isManagementAudience(grant.audience, issuer)) {
      const unknownScope = grant.scope.findIndex((s) => !(MANAGEMENT_SCOPES as readonly string[]).includes(s))
      if (unknownScope !== -1) {
        return {
          path: `${at}.scope[${unknownScope}]`,
          message: `${JSON.stringify(grant.scope[unknownScope])} is not a scope of the Management API (${MANAGEMENT_SCOPES.join(', ')})`
        }
      }
      continue
    }
    const api = tenant.resource_servers.find((r) => r.identifier === grant.audience)
    if (!api) {
      return {
        path: `${at}.audience`,
        message: `no resource server ${JSON.stringify(grant.audience)} in resource_servers`
      }
    }
    const unknown = grant.scope.findIndex((s) => !api.scopes.some((defined) => defined.value === s))
    if (unknown !== -1) {
      return {
        path: `${at}.scope[${unknown}]`,
        message: `${JSON.stringify(grant.scope[unknown])} is not a scope of resource server ${JSON.stringify(api.identifier)}`
      }
    }
  }
  const defaultAudience = tenant.default_audience
  if (defaultAudience !== undefined && !tenant.resource_servers.some((r) => r.identifier === defaultAudience)) {
    return {
      path: 'default_audience',
      message: `no resource server ${JSON.stringify(defaultAudience)} in resource_servers`
    }
  }
  const dupGrant = findDuplicate(tenant.client_grants, (g) => JSON.stringify([g.client_id, g.audience]))
  if (dupGrant) {
    return {
      path: `client_grants[${dupGrant.index}]`,
      message: `client_grants[${dupGrant.first}] already grants this client access to this audience`
    }
  }
  // roles, users[].roles and every permission (rbac/config-check.ts)
  return checkAccess(tenant)
}
