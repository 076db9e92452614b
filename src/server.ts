import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Config } from './config/types.js'
import { installErrorHandlers } from './errors/error-handler.js'
import { providerMetadata } from './discovery/metadata.js'
import { createKeystore, type Keystore } from './keys/keystore.js'
import { loggerOptions, redactUrl } from './logging.js'
import { authorizeRoutes } from './routes/authorize.js'
import { consentRoutes } from './routes/consent.js'
import { corsScope } from './routes/cors-scope.js'
import type { AppDeps } from './routes/deps.js'
import { discoveryRoutes } from './routes/discovery.js'
import { healthRoutes } from './routes/health.js'
import { introspectionRoutes } from './routes/introspection.js'
import { loginRoutes } from './routes/login.js'
import { logoutRoutes } from './routes/logout.js'
import { revocationRoutes } from './routes/revocation.js'
import { tokenRoutes } from './routes/token.js'
import { userinfoRoutes } from './routes/userinfo.js'
import { createStore } from './store/index.js'
import type { Store } from './store/store.js'
import { seedTenant } from './tenant/seed.js'
import { createMinter } from './tokens/mint.js'
import { systemClock, type Clock } from './util/clock.js'
import { randomId, type IdGenerator } from './util/ids.js'

const VIEWS_DIR = fileURLToPath(new URL('../views/', import.meta.url))
const STYLESHEET = readFileSync(new URL('../views/gatehouse.css', import.meta.url))

/** Replaceable parts, for tests (fixed clock and ids) and embedding. */
export interface ServerOverrides {
  clock?: Clock
  newId?: IdGenerator
  store?: Store
  keystore?: Keystore
  logger?: FastifyServerOptions['logger']
  /** where the configured logger writes (tests read the log lines) */
  logStream?: { write(line: string): void }
}

/** Wires every part of Gatehouse into a Fastify instance. Never listens: that is the CLI's job. */
export async function buildServer(config: Config, overrides: ServerOverrides = {}): Promise<FastifyInstance> {
  const clock = overrides.clock ?? systemClock
  const newId = overrides.newId ?? randomId
  const app = Fastify({
    logger: overrides.logger ?? loggerOptions(config, overrides.logStream),
    // One line per request is written by the onResponse hook below, with secrets stripped from the URL.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 256 },
  })
  const store = overrides.store ?? createStore(config.store, { clock })
  app.addHook('onClose', async () => store.close())
  await seedTenant(store, config.tenant)
  const keystore =
    overrides.keystore ??
    (await createKeystore({
      dir: config.keysDir,
      log: { info: (msg) => app.log.info(msg), warn: (msg) => app.log.warn(msg) },
    }))
  const minter = createMinter({ keystore, clock, newId, issuer: config.issuer })
  const deps: AppDeps = { config, store, clock, newId, minter, keystore }

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: redactUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request completed',
    )
  })
  installErrorHandlers(app)
  await app.register(fastifyCookie)
  await app.register(fastifyFormbody)
  await app.register(fastifyView, {
    engine: { eta: new Eta({ views: VIEWS_DIR, cache: true }) },
    root: VIEWS_DIR,
    production: true,
  })
  await app.register(healthRoutes)
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
      await scoped.register(loginRoutes, { deps })
      await scoped.register(consentRoutes, { deps })
      await scoped.register(logoutRoutes, { deps })
      await scoped.register(introspectionRoutes, { deps })
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
