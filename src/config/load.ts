// The only place that reads the environment and the command line: defaults ← config file ← env ← flags.

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { STORE_URL_FORMS, storeAdapter } from '../store/url.js'
import { createDemoTenant } from './demo-tenant.js'
import { isHttpUrl } from './formats.js'
import { JsonSyntaxError, parseJson } from './parse-json.js'
import {
  LOG_FORMATS,
  LOG_LEVELS,
  checkConfigFile,
  checkTenant,
  type ConfigFile,
  type ConfigIssue,
  type ClientInput,
  type ResourceServerInput
} from './schema.js'
import type { AppType, Client, Config, GrantType, LogFormat, ResourceServer, Tenant, TlsConfig, Ttls } from './types.js'

/** A configuration mistake; the message is one line meant for the user. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Thrown for --help: the CLI prints `usage` and exits 0. */
export class HelpRequested extends Error {
  override name = 'HelpRequested'
  constructor(readonly usage: string) {
    super('help requested')
  }
}

export const USAGE = `Usage: gatehouse [options]

A mock OAuth 2.0 / OpenID Connect authorization server that speaks Auth0's dialect.
Without --config it serves a built-in demo tenant.

Options (environment variable in brackets; flags win over the environment,
which wins over the config file):
  -c, --config FILE     tenant and settings, JSON           [GATEHOUSE_CONFIG]
      --port N          port to listen on, 0 for any free   [PORT]  default 4000
      --host HOST       address to bind                    [HOST]  default 127.0.0.1
      --issuer URL      issuer; "/" is appended if missing  [GATEHOUSE_ISSUER]
                        default http://localhost:<port>/, https:// with TLS
      --keys-dir DIR    where signing keys are kept         [GATEHOUSE_KEYS_DIR]  default ./keys
      --store URL       where state is kept: memory:,       [GATEHOUSE_STORE]  default memory:
                        sqlite:FILE or postgres://user:pass@host/db
      --log-level LVL   ${LOG_LEVELS.join(', ')}
                                                            [LOG_LEVEL]  default info
      --log-format FMT  pretty or json                      [LOG_FORMAT]
                        default pretty on a terminal, json otherwise
      --tls             serve HTTPS, with a development CA  [GATEHOUSE_TLS=1]
                        made and kept in <keys-dir>/tls/ (trust its ca.pem)
      --tls-cert FILE   serve HTTPS with your own           [GATEHOUSE_TLS_CERT]
                        certificate instead (PEM, chain allowed)
      --tls-key FILE    its private key (PEM); give both    [GATEHOUSE_TLS_KEY]
                        --tls-cert and --tls-key, or neither
      --test-controls   serve the test controls under        [GATEHOUSE_TEST_CONTROLS=1]
                        <issuer>_gatehouse/ (reset, scenarios, tokens, clock,
                        events); for tests only
  -h, --help            show this help and exit
`

export const DEFAULT_TTL: Readonly<Ttls> = Object.freeze({
  interaction: 600,
  session: 259200,
  code: 60,
  id_token: 36000,
  refresh_token: 2592000
})

export const DEFAULTS = Object.freeze({
  port: 4000,
  host: '127.0.0.1',
  keysDir: './keys',
  store: 'memory:',
  logLevel: 'info'
})

const FLAGS = {
  config: { type: 'string', short: 'c' },
  port: { type: 'string' },
  host: { type: 'string' },
  issuer: { type: 'string' },
  'keys-dir': { type: 'string' },
  store: { type: 'string' },
  'log-level': { type: 'string' },
  'log-format': { type: 'string' },
  tls: { type: 'boolean' },
  'test-controls': { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

/** The settings that take a value; --tls, --test-controls and --help are switches. */
type Setting = Exclude<keyof typeof FLAGS, 'help' | 'tls' | 'test-controls'>

const ENV_NAMES: Record<Setting, string> = {
  config: 'GATEHOUSE_CONFIG',
  port: 'PORT',
  host: 'HOST',
  issuer: 'GATEHOUSE_ISSUER',
  'keys-dir': 'GATEHOUSE_KEYS_DIR',
  store: 'GATEHOUSE_STORE',
  'log-level': 'LOG_LEVEL',
  'log-format': 'LOG_FORMAT',
  'tls-cert': 'GATEHOUSE_TLS_CERT',
  'tls-key': 'GATEHOUSE_TLS_KEY'
}

const TLS_ENV = 'GATEHOUSE_TLS'
const TEST_CONTROLS_ENV = 'GATEHOUSE_TEST_CONTROLS'
/** How long an Action may run unless its config says otherwise, in milliseconds. */
export const DEFAULT_ACTION_TIMEOUT_MS = 5000

const DEFAULT_GRANT_TYPES: Record<AppType, GrantType[]> = {
  spa: ['implicit', 'authorization_code', 'refresh_token'],
  native: ['implicit', 'authorization_code', 'refresh_token'],
  regular_web: ['implicit', 'authorization_code', 'refresh_token', 'client_credentials'],
  non_interactive: ['client_credentials']
}

interface Given {
  value: string
  /** what to name in messages: the flag or the variable */
  source: string
}

type Flags = Partial<Record<Setting, string>> & { help?: boolean; tls?: boolean; 'test-controls'?: boolean }

function parseFlags(argv: string[]): Flags {
  try {
    return parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new ConfigError(describeFlagError(error))
  }
}

function describeFlagError(error: unknown): string {
  const code = (error as { code?: unknown }).code
  const message = error instanceof Error ? error.message : String(error)
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? ''
  const long = /--([\w-]+)/.exec(message)?.[0] ?? quoted
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${quoted}: unknown flag (see --help)`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted)} (see --help)`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (message.includes('does not take an argument')) return `${long}: does not take a value`
      if (message.includes('ambiguous')) return `${long}: needs a value (write ${long}=VALUE if it starts with "-")`
      return `${long}: needs a value`
    default:
      return message.split('\n')[0] ?? message
  }
}

/** The flag if given, else the environment variable; empty variables count as unset. */
function given(flags: Flags, env: NodeJS.ProcessEnv, setting: Setting): Given | undefined {
  const flag = flags[setting]
  if (flag !== undefined) return { value: flag, source: `--${setting}` }
  const name = ENV_NAMES[setting]
  const value = env[name]
  if (value !== undefined && value !== '') return { value, source: name }
  return undefined
}

function parsePort(setting: Given): number {
  const port = /^\d{1,5}$/.test(setting.value) ? Number(setting.value) : NaN
  if (!(port >= 0 && port <= 65535)) {
    throw new ConfigError(`${setting.source}: must be an integer between 0 and 65535`)
  }
  return port
}

function parseStoreUrl(setting: Given): string {
  if (storeAdapter(setting.value) === undefined) {
    throw new ConfigError(`${setting.source}: must be ${STORE_URL_FORMS}`)
  }
  return setting.value
}

/** A sqlite: path in a config file is relative to that file, like keys_dir. */
function storeRelativeTo(configFile: string, store: string): string {
  if (storeAdapter(store) !== 'sqlite') return store
  return `sqlite:${path.resolve(path.dirname(configFile), store.slice('sqlite:'.length))}`
}

function nonEmpty(setting: Given): string {
  if (setting.value.trim() === '') throw new ConfigError(`${setting.source}: must not be empty`)
  return setting.value
}

function parseLogLevel(setting: Given): string {
  if (!(LOG_LEVELS as readonly string[]).includes(setting.value)) {
    throw new ConfigError(`${setting.source}: must be one of ${LOG_LEVELS.join(', ')}`)
  }
  return setting.value
}

function parseLogFormat(setting: Given): LogFormat {
  const format = LOG_FORMATS.find((f) => f === setting.value)
  if (format === undefined) throw new ConfigError(`${setting.source}: must be one of ${LOG_FORMATS.join(', ')}`)
  return format
}

function parseIssuer(setting: Given): string {
  if (!isHttpUrl(setting.value)) {
    throw new ConfigError(`${setting.source}: must be an http(s) URL without query or fragment`)
  }
  return normalizeIssuer(setting.value)
}

/** Auth0's issuers end with "/", and clients compare `iss` as an exact string. */
export function normalizeIssuer(issuer: string): string {
  return issuer.endsWith('/') ? issuer : `${issuer}/`
}

export function defaultIssuer(port: number, tls = false): string {
  return `${tls ? 'https' : 'http'}://localhost:${port}/`
}

/** Where a TLS setting came from, in the order they win: flags over the environment over the file. */
const RANK = { flag: 3, env: 2, file: 1 } as const

/** TLS on or off, and where that was said. */
interface TlsSwitch {
  on: boolean
  /** names it in messages */
  source: string
  rank: number
}

/** --test-controls, else GATEHOUSE_TEST_CONTROLS (1/true or 0/false). */
function testControlsSwitch(flags: Flags, env: NodeJS.ProcessEnv): boolean | undefined {
  if (flags['test-controls']) return true
  return booleanVariable(env, TEST_CONTROLS_ENV)
}

/** --tls, else GATEHOUSE_TLS (1/true or 0/false). */
function tlsSwitch(flags: Flags, env: NodeJS.ProcessEnv): TlsSwitch | undefined {
  if (flags.tls) return { on: true, source: '--tls', rank: RANK.flag }
  const on = booleanVariable(env, TLS_ENV)
  return on === undefined ? undefined : { on, source: TLS_ENV, rank: RANK.env }
}

/** A switch variable: 1/true or 0/false; unset or empty is undefined. */
function booleanVariable(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name]
  if (value === undefined || value === '') return undefined
  if (/^(1|true)$/i.test(value)) return true
  if (/^(0|false)$/i.test(value)) return false
  throw new ConfigError(`${name}: must be 1 or 0 (true or false)`)
}

interface TlsFile {
  path: string
  /** names it in messages: the flag, the variable, or the config file's key */
  source: string
  /** what the other half of the pair is called where this one came from */
  partner: string
  rank: number
}

/** --tls-cert or --tls-key, else its variable. */
function tlsFileGiven(flags: Flags, env: NodeJS.ProcessEnv, half: 'cert' | 'key'): TlsFile | undefined {
  const found = given(flags, env, `tls-${half}`)
  if (found === undefined) return undefined
  const other = half === 'cert' ? 'tls-key' : 'tls-cert'
  const flag = found.source.startsWith('--')
  return { path: nonEmpty(found), source: found.source, partner: flag ? `--${other}` : ENV_NAMES[other], rank: flag ? RANK.flag : RANK.env }
}

/** The file's tls_cert or tls_key, relative to the file wherever the process starts. */
function tlsFileInFile(file: ConfigFile, configFile: string | undefined, half: 'cert' | 'key'): TlsFile | undefined {
  const value = file[`tls_${half}`]
  if (configFile === undefined || value === undefined) return undefined
  const partner = half === 'cert' ? 'tls_key' : 'tls_cert'
  return { path: path.resolve(path.dirname(configFile), value), source: `${configFile}: tls_${half}`, partner, rank: RANK.file }
}

/**
 * Own certificate and key (both or neither; they imply TLS), else the development CA when TLS is on.
 * TLS turned off where a certificate is named, or closer to the user (the environment over the file), is a contradiction.
 */
function resolveTls(onOff: TlsSwitch | undefined, cert: TlsFile | undefined, key: TlsFile | undefined): TlsConfig | undefined {
  const lone = cert === undefined ? key : key === undefined ? cert : undefined
  if (lone !== undefined) throw new ConfigError(`${lone.source}: needs ${lone.partner} as well (both or neither)`)
  if (cert !== undefined && key !== undefined) {
    if (onOff?.on === false && onOff.rank >= Math.max(cert.rank, key.rank)) {
      throw new ConfigError(`${onOff.source}: turns TLS off, but ${cert.source} names a certificate to serve`)
    }
    return { kind: 'own-certificate', certFile: cert.path, keyFile: key.path }
  }
  return onOff?.on ? { kind: 'development-ca' } : undefined
}

function issueText(file: string, issue: ConfigIssue): string {
  return issue.path === '' ? `${file}: ${issue.message}` : `${file}: ${issue.path}: ${issue.message}`
}

function readConfigFile(file: string): ConfigFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new ConfigError(`${file}: file not found`)
    if (code === 'EISDIR') throw new ConfigError(`${file}: is a directory, not a file`)
    if (code === 'EACCES') throw new ConfigError(`${file}: permission denied`)
    throw new ConfigError(`${file}: cannot read the file (${code ?? String(error)})`)
  }
  let data: unknown
  try {
    data = parseJson(text)
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new ConfigError(`${file}: invalid JSON at ${error.message}`)
    throw new ConfigError(`${file}: invalid JSON: ${(error as Error).message}`)
  }
  const checked = checkConfigFile(data)
  if (!checked.ok) throw new ConfigError(issueText(file, checked.issue))
  return checked.file
}

function toClient(input: ClientInput): Client {
  const appType = input.app_type ?? 'spa'
  const method =
    input.token_endpoint_auth_method ?? (appType === 'spa' || appType === 'native' ? 'none' : 'client_secret_post')
  // a client that cannot authenticate gets no client_credentials by default (RFC 6749 §4.4)
  const grantTypes =
    input.grant_types ?? DEFAULT_GRANT_TYPES[appType].filter((g) => method !== 'none' || g !== 'client_credentials')
  const client: Client = {
    client_id: input.client_id,
    name: input.name,
    app_type: appType,
    callbacks: [...(input.callbacks ?? [])],
    allowed_logout_urls: [...(input.allowed_logout_urls ?? [])],
    // browsers send the serialized origin, so store it that way
    web_origins: (input.web_origins ?? []).map((o) => new URL(o).origin),
    grant_types: [...grantTypes],
    is_first_party: input.is_first_party ?? true,
    token_endpoint_auth_method: method,
    refresh_token: {
      rotation_type: input.refresh_token?.rotation_type ?? 'non-rotating',
      ...(input.refresh_token?.leeway === undefined ? {} : { leeway: input.refresh_token.leeway })
    }
  }
  if (input.client_secret !== undefined) client.client_secret = input.client_secret
  if (input.jwt_configuration?.alg !== undefined) client.jwt_configuration = { alg: input.jwt_configuration.alg }
  return client
}

function toResourceServer(input: ResourceServerInput): ResourceServer {
  return {
    identifier: input.identifier,
    name: input.name ?? input.identifier,
    scopes: (input.scopes ?? []).map((s) => ({ value: s.value, description: s.description ?? s.value })),
    token_lifetime: input.token_lifetime ?? 86400,
    token_lifetime_for_web: input.token_lifetime_for_web ?? 7200,
    signing_alg: input.signing_alg ?? 'RS256',
    skip_consent_for_verifiable_first_party_clients: input.skip_consent_for_verifiable_first_party_clients ?? true,
    allow_offline_access: input.allow_offline_access ?? false,
    enforce_policies: input.enforce_policies ?? false,
    token_dialect: input.token_dialect ?? 'access_token'
  }
}

/** Fills Auth0's defaults into what the file left out. */
export function toTenant(file: ConfigFile): Tenant {
  const tenant: Tenant = {
    clients: (file.clients ?? []).map(toClient),
    resource_servers: (file.resource_servers ?? []).map(toResourceServer),
    users: (file.users ?? []).map((u) => ({ ...u })),
    client_grants: (file.client_grants ?? []).map((g) => ({
      client_id: g.client_id,
      audience: g.audience,
      scope: [...(g.scope ?? [])]
    }))
  }
  if (file.default_audience !== undefined) tenant.default_audience = file.default_audience
  if (file.roles !== undefined) tenant.roles = structuredClone(file.roles)
  return tenant
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

export function loadConfig(env: NodeJS.ProcessEnv, argv: string[]): Config {
  const flags = parseFlags(argv)
  if (flags.help) throw new HelpRequested(USAGE)

  // flags and variables are checked before any file is read: they are cheaper to fix
  const setting = <T>(name: Setting, parse: (given: Given) => T): T | undefined => {
    const found = given(flags, env, name)
    return found ? parse(found) : undefined
  }
  const store = setting('store', parseStoreUrl)
  const port = setting('port', parsePort)
  const host = setting('host', nonEmpty)
  const issuer = setting('issuer', parseIssuer)
  const keysDir = setting('keys-dir', nonEmpty)
  const logLevel = setting('log-level', parseLogLevel)
  const logFormat = setting('log-format', parseLogFormat)
  const configFile = setting('config', nonEmpty)
  const tlsGiven = tlsSwitch(flags, env)
  const tlsCertGiven = tlsFileGiven(flags, env, 'cert')
  const tlsKeyGiven = tlsFileGiven(flags, env, 'key')

  const file: ConfigFile = configFile !== undefined ? readConfigFile(configFile) : {}
  const tenant = configFile !== undefined ? toTenant(file) : createDemoTenant()
  const tls = resolveTls(
    tlsGiven ?? (file.tls !== undefined ? { on: file.tls, source: `${configFile}: tls`, rank: RANK.file } : undefined),
    tlsCertGiven ?? tlsFileInFile(file, configFile, 'cert'),
    tlsKeyGiven ?? tlsFileInFile(file, configFile, 'key')
  )
  const finalPort = port ?? file.port ?? DEFAULTS.port
  const finalIssuer = issuer ?? (file.issuer !== undefined ? normalizeIssuer(file.issuer) : defaultIssuer(finalPort, tls !== undefined))
  // Served over TLS, an http issuer would send every client to a plain-HTTP port that does not answer.
  if (tls !== undefined && !finalIssuer.startsWith('https:')) {
    const source = issuer !== undefined ? (flags.issuer !== undefined ? '--issuer' : 'GATEHOUSE_ISSUER') : `${configFile}: issuer`
    throw new ConfigError(`${source}: must be an https URL when TLS is on`)
  }
  // With --port 0 and no issuer given, the issuer is known only once a port is chosen.
  const knownIssuer = issuer !== undefined || file.issuer !== undefined || finalPort !== 0 ? finalIssuer : undefined
  const issue = checkTenant(tenant, knownIssuer)
  if (issue) throw new ConfigError(issueText(configFile ?? 'demo tenant', issue))
  const config: Config = {
    port: finalPort,
    host: host ?? file.host ?? DEFAULTS.host,
    issuer: finalIssuer,
    keysDir:
      keysDir ??
      (configFile !== undefined && file.keys_dir !== undefined
        ? // a path in a file is relative to that file, wherever the process starts
          path.resolve(path.dirname(configFile), file.keys_dir)
        : DEFAULTS.keysDir),
    store:
      store ??
      (configFile !== undefined && file.store !== undefined ? storeRelativeTo(configFile, file.store) : DEFAULTS.store),
    logLevel: logLevel ?? file.log_level ?? DEFAULTS.logLevel,
    ttl: { ...DEFAULT_TTL, ...file.ttl },
    tenant,
    demo: configFile === undefined,
    actions: (file.actions ?? []).map((action) => ({
      name: action.name,
      trigger: action.trigger,
      // a path in a file is relative to that file, wherever the process starts
      script: path.resolve(path.dirname(configFile ?? '.'), action.script),
      secrets: { ...action.secrets },
      timeoutMs: action.timeout_ms ?? DEFAULT_ACTION_TIMEOUT_MS
    })),
    testControls: testControlsSwitch(flags, env) ?? file.test_controls ?? false
  }
  if (configFile !== undefined) config.configFile = configFile
  const format = logFormat ?? file.log_format
  if (format !== undefined) config.logFormat = format
  if (file.playground !== undefined) config.playground = file.playground
  if (file.attack_protection !== undefined) config.attackProtection = structuredClone(file.attack_protection)
  if (tls !== undefined) config.tls = tls
  return deepFreeze(config)
}
