import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startActions } from './actions/load.js'
import { actionsStage } from './actions/stage.js'
import { createBruteForceProtection } from './attack-protection/brute-force.js'
import { createControls } from './controls/controls.js'
import { recordManagementChanges } from './controls/management-events.js'
import { scenarioTokenStage } from './controls/scenario-stage.js'
import { createScenarios } from './controls/scenarios.js'
import type { Config } from './config/types.js'
import { createEventLog, type EventLog } from './events/event-log.js'
import { installErrorHandlers } from './errors/error-handler.js'
import { providerMetadata } from './discovery/metadata.js'
import { createKeystore, type Keystore } from './keys/keystore.js'
import type { KeyGenerator } from './keys/key-material.js'
import { createLogging, type LogSink } from './logging.js'
import { removePlayground, seedPlayground } from './playground/client.js'
import { playgroundEnabled } from './playground/urls.js'
import { rbacStage } from './rbac/stage.js'
import { authorizeRoutes } from './routes/authorize.js'
import { consentRoutes } from './routes/consent.js'
import { continueRoutes } from './routes/continue.js'
import { corsScope } from './routes/cors-scope.js'
import type { AppDeps } from './routes/deps.js'
import { discoveryRoutes } from './routes/discovery.js'
import { sendErrorPage } from './routes/error-page.js'
import { healthRoutes } from './routes/health.js'
import { introspectionRoutes } from './routes/introspection.js'
import { demoApiRoutes } from './routes/demo-api.js'
import { landingRoutes } from './routes/landing.js'
import { loginRoutes } from './routes/login.js'
import { managementApiRoutes } from './routes/management-api.js'
import { logoutRoutes } from './routes/logout.js'
import { playgroundRoutes } from './routes/playground.js'
import { revocationRoutes } from './routes/revocation.js'
import { testControlRoutes } from './routes/test-controls.js'
import { tokenRoutes } from './routes/token.js'
import { userinfoRoutes } from './routes/userinfo.js'
import { openStore } from './store/index.js'
import { storeAdapter } from './store/url.js'
import type { Store } from './store/store.js'
import { seedTenant } from './tenant/seed.js'
import { loadTls } from './tls/load-tls.js'
import { createMinter } from './tokens/mint.js'
import type { TokenStage } from './tokens/plan.js'
import { createControllableClock, systemClock, type Clock } from './util/clock.js'
import { randomId, type IdGenerator } from './util/ids.js'

const VIEWS_DIR = fileURLToPath(new URL('../views/', import.meta.url))
const STYLESHEET = readFileSync(new URL('../views/gatehouse.css', import.meta.url))
// the playground's browser code, bundled by `npm run build` (scripts/bundle-playground.mjs)
const PLAYGROUND_ASSETS_DIR = fileURLToPath(new URL('../dist/assets/', import.meta.url))

const UNAVAILABLE_HINT = 'Gatehouse cannot reach its database right now. Reload this page in a few seconds.'

/** Replaceable parts, for tests (fixed clock and ids) and embedding. */
export interface ServerOverrides {
  clock?: Clock
  newId?: IdGenerator
  /** a store made by the caller, who closes it; by default the one config.store names, closed with the server */
  store?: Store
  keystore?: Keystore
  /** where the keystore's new keys come from (tests hand out keys made beforehand) */
  generateKey?: KeyGenerator
  /** where protocol decisions are recorded (the playground's timeline reads them) */
  events?: EventLog
  logger?: FastifyServerOptions['logger']
  /** where the configured logger writes (tests read the log lines) */
  logStream?: LogSink
  /** deadlines for slow clients (tests shorten them) */
  timeouts?: Partial<HttpTimeouts>
}

/** Deadlines for slow or stalled clients, in milliseconds. */
export interface HttpTimeouts {
  /** to receive a request's headers */
  headers: number
  /** to receive a whole request, body included */
  request: number
  /** a socket without any traffic, e.g. a client that does not read its response */
  idle: number
  /** an idle keep-alive connection between two requests */
  keepAlive: number
  /** how often Node checks the headers and request deadlines */
  checkInterval: number
}

export const HTTP_TIMEOUTS: Readonly<HttpTimeouts> = Object.freeze({
  headers: 10_000,
  request: 30_000,
  idle: 60_000,
  keepAlive: 10_000,
  checkInterval: 2_000,
})

/** Wires every part of Gatehouse into a Fastify instance. Never listens: that is the CLI's job. */
export async function buildServer(config: Config, overrides: ServerOverrides = {}): Promise<FastifyInstance> {
  // With the test controls on, the clock is one they can move: everything below reads time from it.
  const controlledClock = config.testControls ? createControllableClock(overrides.clock ?? systemClock) : undefined
  const clock = controlledClock ?? overrides.clock ?? systemClock
  const newId = overrides.newId ?? randomId
  const logging = createLogging(config, overrides.logStream)
  const timeouts = { ...HTTP_TIMEOUTS, ...overrides.timeouts }
  // The instance needs the certificate, and its logger comes with the instance: what loading the
  // certificate has to say is logged once there is one.
  const tlsNotes: { level: 'info' | 'warn'; msg: string }[] = []
  const tls = await loadTls(config, {
    now: new Date(clock.now()),
    log: { info: (msg) => tlsNotes.push({ level: 'info', msg }), warn: (msg) => tlsNotes.push({ level: 'warn', msg }) },
  })
  const serverOptions = { headersTimeout: timeouts.headers, connectionsCheckingInterval: timeouts.checkInterval }
  const app = Fastify({
    logger: overrides.logger ?? logging.logger,
    // Each request's logger collects the decisions logged through it, for its one request line.
    ...(overrides.logger === undefined ? { childLoggerFactory: logging.childLoggerFactory } : {}),
    // One line per request is written by the onResponse hook below, with secrets stripped from the URL.
    logController: new LogController({ disableRequestLogging: true }),
    // Fastify sets no deadline for a request body: a client stalled mid-body would hold its socket,
    // and keep a graceful shutdown from finishing, for good.
    requestTimeout: timeouts.request,
    connectionTimeout: timeouts.idle,
    keepAliveTimeout: timeouts.keepAlive,
    // node:https takes the same server options as node:http, next to the certificate.
    ...(tls === undefined ? { http: serverOptions } : { https: { ...tls, ...serverOptions } }),
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 256 },
  })
  for (const { level, msg } of tlsNotes) app.log[level](msg)
  // The user's Actions load first: one that does not load is a config error, before anything is opened.
  const actions = await startActions(config.actions ?? [], app.log)
  if (actions !== undefined) app.addHook('onClose', () => actions.close())
  const store = overrides.store ?? (await openStore(config.store, { clock, warn: (message) => app.log.warn(message) }))
  // A store given in overrides belongs to whoever made it, and may outlive this server.
  if (overrides.store === undefined) app.addHook('onClose', async () => store.close())
  app.log.info(`store: ${store.description}`)
  // The config file's tenant, put into the store at start (and again by the test controls' reset).
  const seedConfigTenant = async () => {
    await seedTenant(store, config.tenant, { newId, log: (message) => app.log.info(message) })
    const configuredClientIds = config.tenant.clients.map((c) => c.client_id)
    if (playgroundEnabled(config)) {
      await seedPlayground(store, { issuer: config.issuer, newId, configuredClientIds, log: (message) => app.log.info(message) })
    } else {
      await removePlayground(store, configuredClientIds)
    }
  }
  await seedConfigTenant()
  const keystore =
    overrides.keystore ??
    (await createKeystore({
      dir: config.keysDir,
      // On a shared database every replica must sign with the same keys, so they live there too.
      ...(storeAdapter(config.store) === 'memory' ? {} : { store }),
      log: { info: (msg) => app.log.info(msg), warn: (msg) => app.log.warn(msg) },
      clock,
      generateKey: overrides.generateKey,
    }))
  // Hooks run last-added first: the keystore finishes its writes before the store closes.
  if (overrides.keystore === undefined) app.addHook('onClose', () => keystore.close())
  const minter = createMinter({ keystore, clock, newId, issuer: config.issuer })
  const bruteForce = createBruteForceProtection(store, config.attackProtection)
  // Every event also goes to the log, at debug level: the request lines already carry their decisions.
  const events =
    overrides.events ??
    createEventLog({ clock, onRecord: ({ kind, summary, ...fields }) => app.log.debug({ event: kind, ...fields }, `event: ${summary}`) })
  const scenarios = controlledClock === undefined ? undefined : createScenarios({ clock, newId, events, holdSeconds: config.ttl.interaction })
  // What decides token contents before signing, in order: RBAC, then the user's Actions, then test scenarios.
  const actionsRun = actions === undefined ? undefined : actionsStage({ runtime: actions, config, store, clock, events, log: app.log })
  const tokenStages: TokenStage[] = [
    rbacStage(store),
    ...(actionsRun === undefined ? [] : [actionsRun]),
    ...(scenarios === undefined ? [] : [scenarioTokenStage(scenarios)]),
  ]
  const deps: AppDeps = { config, store, clock, newId, minter, keystore, bruteForce, events, tokenStages, scenarios }

  app.addHook('onResponse', logging.logRequest)
  app.addHook('onResponse', recordManagementChanges(events, config.issuer))
  installErrorHandlers(app, { send: (reply, error, status) => sendErrorPage(reply, deps, error, status, UNAVAILABLE_HINT) })
  await app.register(fastifyCookie)
  await app.register(fastifyFormbody)
  await app.register(fastifyView, {
    engine: { eta: new Eta({ views: VIEWS_DIR, cache: true }) },
    root: VIEWS_DIR,
    production: true,
  })
  await app.register(healthRoutes, { store })
  // Every other route lives under the issuer's path, so an issuer such as http://host/tenant/ works as is.
  const prefix = new URL(config.issuer).pathname.replace(/\/$/, '')
  await app.register(
    async (scoped) => {
      scoped.get('/assets/gatehouse.css', (_request, reply) =>
        reply.header('Content-Type', 'text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(STYLESHEET),
      )
      // Browsers may call these cross-origin, from a client's web_origins.
      await scoped.register(corsScope, { deps, routes: [discoveryRoutes, userinfoRoutes, revocationRoutes, tokenRoutes] })
      await scoped.register(authorizeRoutes, { deps })
      await scoped.register(continueRoutes, { deps })
      await scoped.register(loginRoutes, { deps })
      await scoped.register(consentRoutes, { deps })
      await scoped.register(logoutRoutes, { deps })
      await scoped.register(introspectionRoutes, { deps })
      await scoped.register(landingRoutes, { deps })
      await scoped.register(demoApiRoutes, { deps })
      await scoped.register(managementApiRoutes, { deps })
      if (playgroundEnabled(config)) await scoped.register(playgroundRoutes, { deps, assetsDir: PLAYGROUND_ASSETS_DIR })
      if (controlledClock !== undefined && scenarios !== undefined) {
        app.log.warn(`test controls are on at ${config.issuer}_gatehouse/: anyone who reaches them can reset the tenant, script answers, mint tokens and move the clock`)
        const controls = createControls({ config, store, keystore, events, newId, clock: controlledClock, scenarios, seed: seedConfigTenant, playground: playgroundEnabled(config), forgetCaches: () => actionsRun?.clearCache() })
        await scoped.register(testControlRoutes, { controls })
      }
    },
    { prefix },
  )
  // RFC 8414 §3: for an issuer with a path, the metadata also lives at /.well-known/oauth-authorization-server/<path>.
  if (prefix !== '') {
    const metadata = JSON.stringify(providerMetadata(config.issuer))
    app.get(`/.well-known/oauth-authorization-server${prefix}`, (_request, reply) =>
      reply.header('Content-Type', 'application/json; charset=utf-8').send(metadata),
    )
  }
  return app
}
