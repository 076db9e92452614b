// The `api` object an Action is handed, built inside the worker thread. Each method checks its
// arguments as Auth0 documents them and records a Command; nothing takes effect until Gatehouse
// applies the commands after the Action has finished. Methods return `api`, as Auth0's do.
import type { CacheRecord, Command, HandlerName, RunContext } from './protocol.js'
import { encodeSessionToken, validateSessionToken } from './session-token.js'

/** Bounds of `api.cache`: Auth0's 15-minute default and 24-hour longest lifetime, and sizes that keep it small. */
export const CACHE_LIMITS = { keyLength: 512, valueLength: 4096, defaultTtlMs: 15 * 60_000, maxTtlMs: 24 * 3600_000 } as const

const DEFAULT_TOKEN_LIFETIME_SECONDS = 900

type Api = Record<string, unknown>

interface Recorder {
  record(command: Command): void
}

/** The API of the handler being called, and the commands it has recorded so far. */
export function createApi(handler: HandlerName, event: unknown, context: RunContext): { api: Api; commands: Command[] } {
  const commands: Command[] = []
  const recorder: Recorder = { record: (command) => void commands.push(command) }
  const postLogin = handler !== 'onExecuteCredentialsExchange'
  const api: Api = postLogin ? Object.create(WITH_IGNORED_GROUPS) : {}
  const chain =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      fn(...args)
      return api
    }
  const cache = createCache(recorder, context)

  if (!postLogin) {
    Object.assign(api, {
      access: {
        deny: chain((code: unknown, reason: unknown) => recorder.record({ type: 'deny', code: text(code, 'api.access.deny: code'), reason: text(reason, 'api.access.deny: reason') })),
      },
      accessToken: { setCustomClaim: chain((name: unknown, value: unknown) => recorder.record(claim('access', name, value))) },
      cache,
    })
    return { api, commands }
  }

  Object.assign(api, {
    access: { deny: chain((reason: unknown) => recorder.record({ type: 'deny', reason: text(reason, 'api.access.deny: reason') })) },
    accessToken: {
      setCustomClaim: chain((name: unknown, value: unknown) => recorder.record(claim('access', name, value))),
      addScope: chain((scope: unknown) => recorder.record({ type: 'scope', change: 'add', scope: text(scope, 'api.accessToken.addScope') })),
      removeScope: chain((scope: unknown) => recorder.record({ type: 'scope', change: 'remove', scope: text(scope, 'api.accessToken.removeScope') })),
    },
    idToken: { setCustomClaim: chain((name: unknown, value: unknown) => recorder.record(claim('id', name, value))) },
    user: {
      setAppMetadata: chain((name: unknown, value: unknown) => recorder.record(metadata('app_metadata', name, value))),
      setUserMetadata: chain((name: unknown, value: unknown) => recorder.record(metadata('user_metadata', name, value))),
    },
    redirect: createRedirect(recorder, chain, event, context),
    cache,
    rules: { wasExecuted: () => false },
  })
  Object.defineProperty(api, LAZY, { value: { recorder, chain, built: {} } satisfies LazyGroups })
  return { api, commands }
}

const LAZY = Symbol('ignored groups')

interface LazyGroups {
  recorder: Recorder
  chain: Chain
  built: Record<string, Record<string, unknown>>
}

/** The post-login api groups Auth0 has and Gatehouse only accepts, with their methods. */
const IGNORED: Record<string, readonly string[]> = {
  authentication: ['challengeWith', 'challengeWithAny', 'enrollWith', 'enrollWithAny', 'recordMethod', 'setPrimaryUser'],
  multifactor: ['enable'],
  session: ['revoke', 'setCookieMode', 'setExpiresAt', 'setIdleExpiresAt', 'setMetadata', 'deleteMetadata', 'evictMetadata'],
  refreshToken: ['revoke', 'setExpiresAt', 'setIdleExpiresAt', 'setMetadata', 'deleteMetadata', 'evictMetadata'],
  samlResponse: [
    'setAttribute', 'setAudience', 'setIssuer', 'setEncryptionPublicKey', 'setRecipient', 'setCreateUpnClaim',
    'setPassthroughClaimsWithNoMapping', 'setMapUnknownClaimsAsIs', 'setMapIdentities', 'setDestination', 'setRelayState',
    'setLifetimeInSeconds', 'setSignResponse', 'setNameIdentifierFormat', 'setNameIdentifierProbes', 'setAuthnContextClassRef',
    'setSigningCert', 'setIncludeAttributeNameFormat', 'setTypedAttributes', 'setEncryptionCert', 'setCert', 'setKey',
    'setSignatureAlgorithm', 'setDigestAlgorithm',
  ],
  transaction: ['setMetadata'],
}

/**
 * Auth0 features Gatehouse does not have: accepted, so the Action runs on, and logged as ignored.
 * A group is built when an Action first reaches for it (most never do), by getters defined once
 * here: getters made per run would give V8 new hidden classes per run, which outlive the run.
 */
const WITH_IGNORED_GROUPS: object = {}
for (const [group, methods] of Object.entries(IGNORED)) {
  Object.defineProperty(WITH_IGNORED_GROUPS, group, {
    enumerable: true,
    get(this: { [LAZY]: LazyGroups }) {
      const { recorder, chain, built } = this[LAZY]
      return (built[group] ??= Object.fromEntries(
        methods.map((method) => [method, chain(() => recorder.record({ type: 'ignored', method: `${group}.${method}` }))]),
      ))
    },
  })
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${what} must be a non-empty string`)
  return value
}

/** A value as the token or the user record will hold it: JSON, or undefined to remove it. */
function asJson(value: unknown, what: string): unknown {
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch (error) {
    throw new TypeError(`${what}: the value cannot be written as JSON (${(error as Error).message})`)
  }
  return json === undefined ? undefined : JSON.parse(json)
}

const claim = (token: 'access' | 'id', name: unknown, value: unknown): Command => {
  const what = `api.${token === 'access' ? 'accessToken' : 'idToken'}.setCustomClaim`
  return { type: 'claim', token, name: text(name, `${what}: name`), value: asJson(value, what) }
}

const metadata = (field: 'app_metadata' | 'user_metadata', name: unknown, value: unknown): Command => {
  const what = `api.user.${field === 'app_metadata' ? 'setAppMetadata' : 'setUserMetadata'}`
  // null (or undefined) removes the property, as Auth0 documents
  return { type: 'metadata', field, name: text(name, `${what}: name`), value: asJson(value, what) ?? null }
}

type Chain = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => Api

function createRedirect(recorder: Recorder, chain: Chain, event: unknown, context: RunContext) {
  const nowSeconds = () => Math.floor(context.now / 1000)
  return {
    sendUserTo: chain((url: unknown, options?: { query?: Record<string, unknown> }) => {
      const query: Record<string, string> = {}
      for (const [name, value] of Object.entries(options?.query ?? {})) if (value !== undefined && value !== null) query[name] = String(value)
      recorder.record({ type: 'redirect', url: text(url, 'api.redirect.sendUserTo: url'), query })
    }),
    encodeToken(options: { secret?: unknown; payload?: unknown; expiresInSeconds?: unknown }): string {
      const expires = options?.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS
      if (typeof expires !== 'number' || !Number.isFinite(expires) || expires <= 0) {
        throw new TypeError('api.redirect.encodeToken: expiresInSeconds must be a positive number')
      }
      return encodeSessionToken({
        secret: text(options?.secret, 'api.redirect.encodeToken: secret'),
        payload: (asJson(options?.payload ?? {}, 'api.redirect.encodeToken: payload') ?? {}) as Record<string, unknown>,
        now: nowSeconds(),
        expiresInSeconds: Math.floor(expires),
        issuer: context.tokenIssuer,
        subject: context.userId,
      })
    },
    validateToken(options: { secret?: unknown; tokenParameterName?: unknown }): Record<string, unknown> {
      const secret = text(options?.secret, 'api.redirect.validateToken: secret')
      const name = options?.tokenParameterName === undefined ? 'session_token' : text(options.tokenParameterName, 'api.redirect.validateToken: tokenParameterName')
      const request = (event as { request?: { body?: Record<string, unknown>; query?: Record<string, unknown> } }).request
      const token = request?.body?.[name] ?? request?.query?.[name]
      if (typeof token !== 'string' || token === '') throw new Error(`The session token is missing: no "${name}" parameter was sent to /continue`)
      return validateSessionToken({ token, secret, now: nowSeconds(), state: context.continueState, subject: context.userId })
    },
  }
}

/** `api.cache` over the trigger's entries as they were when the Action started; writes are recorded. */
function createCache(recorder: Recorder, context: RunContext) {
  const entries = new Map<string, CacheRecord>(Object.entries(context.cache))
  const live = (key: string) => {
    const record = entries.get(key)
    return record !== undefined && record.expires_at > context.now ? record : undefined
  }
  return {
    get(key: unknown): CacheRecord | undefined {
      const record = typeof key === 'string' ? live(key) : undefined
      return record === undefined ? undefined : { ...record }
    },
    set(key: unknown, value: unknown, options?: { ttl?: unknown; expires_at?: unknown }) {
      if (typeof key !== 'string' || key === '' || key.length > CACHE_LIMITS.keyLength) return cacheError('invalid_key')
      if (typeof value !== 'string') return cacheError('invalid_value')
      if (value.length > CACHE_LIMITS.valueLength) return cacheError('value_too_large')
      const deadlines = [context.now + CACHE_LIMITS.maxTtlMs]
      if (typeof options?.ttl === 'number' && options.ttl > 0) deadlines.push(context.now + options.ttl)
      if (typeof options?.expires_at === 'number') deadlines.push(options.expires_at)
      if (options?.ttl === undefined && options?.expires_at === undefined) deadlines.push(context.now + CACHE_LIMITS.defaultTtlMs)
      const record: CacheRecord = { value, expires_at: Math.min(...deadlines) }
      if (record.expires_at <= context.now) return cacheError('invalid_expiry')
      entries.set(key, record)
      recorder.record({ type: 'cache', key, record })
      return { type: 'success' as const, record: { ...record } }
    },
    delete(key: unknown) {
      if (typeof key !== 'string') return cacheError('invalid_key')
      entries.delete(key)
      recorder.record({ type: 'cache', key })
      return { type: 'success' as const }
    },
  }
}

const cacheError = (code: string) => ({ type: 'error' as const, code })
