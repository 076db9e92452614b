import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { applyClockChange, clockState, parseClockChange } from '../controls/clock-control.js'
import { ControlConflict } from '../controls/conflict.js'
import type { Controls } from '../controls/controls.js'
import { eventView, nextSince, parseEventsQuery } from '../controls/events-query.js'
import { ControlInputError } from '../controls/input.js'
import type { Scenario } from '../controls/scenario-types.js'
import { TooManyWaiters } from '../events/event-log.js'

export interface TestControlOptions {
  controls: Controls
}

/** Enough for any scenario or token request; the parts of one are limited further. */
const BODY_LIMIT = 16 * 1024

/**
 * The test controls under <issuer>_gatehouse/, JSON in and out; registered only with --test-controls.
 * Callers are test code (curl, any HTTP client): a browser page of another origin is refused.
 */
export const testControlRoutes: FastifyPluginAsync<TestControlOptions> = async (app, { controls }) => {
  const { clock, scenarios, events, config } = controls.deps
  const issuerOrigin = new URL(config.issuer).origin
  installErrorHandler(app)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Cache-Control', 'no-store')
    const origin = request.headers.origin
    if ((origin !== undefined && origin !== issuerOrigin) || request.headers['sec-fetch-site'] === 'cross-site') {
      return reply.code(403).send({ error: 'access_denied', error_description: 'the test controls do not answer pages of other origins' })
    }
  })
  app.addHook('preValidation', async (request, reply) => {
    const length = Number(request.headers['content-length'] ?? 0)
    if (length > 0 && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      return reply.code(415).send({ error: 'invalid_request', error_description: 'the test controls take JSON bodies (Content-Type: application/json)' })
    }
  })
  app.addHook('preClose', async () => events.releaseWaiters())
  const limits = { bodyLimit: BODY_LIMIT }

  app.post('/_gatehouse/reset', limits, async () => controls.reset())

  app.get('/_gatehouse/scenarios', async () => ({ scenarios: scenarios.list().map(scenarioView) }))
  app.post('/_gatehouse/scenarios', limits, async (request, reply) => reply.code(201).send(scenarioView(await controls.addScenario(request.body))))
  app.delete('/_gatehouse/scenarios', async () => ({ deleted: scenarios.clear() }))
  app.delete<{ Params: { id: string } }>('/_gatehouse/scenarios/:id', async (request, reply) => {
    if (!scenarios.remove(request.params.id)) return reply.code(404).send({ error: 'not_found', error_description: `no pending scenario ${request.params.id}` })
    return reply.code(204).send()
  })

  app.post('/_gatehouse/tokens', limits, async (request) => controls.mintToken(request.body))

  app.get('/_gatehouse/clock', async () => clockState(clock))
  app.post('/_gatehouse/clock', limits, async (request) => {
    applyClockChange(clock, parseClockChange(request.body))
    return clockState(clock)
  })

  app.get('/_gatehouse/events', async (request, reply) => {
    const { filter, wait } = parseEventsQuery(request.query)
    if (wait > 0) {
      const gone = new AbortController()
      reply.raw.once('close', () => gone.abort())
      await events.waitFor(filter, wait, gone.signal)
    }
    // Read in one go, so that no event recorded meanwhile falls between the answer and its cursor.
    const found = events.feed(filter)
    return { events: found.map(eventView), next_since: nextSince(found, filter, events.lastId()) }
  })
}

function scenarioView(scenario: Scenario) {
  const { id, on, match, respond, times, remaining, created_at: createdAt } = scenario
  return { id, on, match, respond, times, remaining, created_at: new Date(createdAt).toISOString() }
}

/** Control errors in the JSON shape of the rest of Gatehouse; Fastify's own (bad JSON, too large) too. */
function installErrorHandler(app: Parameters<FastifyPluginAsync>[0]): void {
  app.setErrorHandler((err: FastifyError | ControlInputError | ControlConflict | TooManyWaiters, request: FastifyRequest, reply: FastifyReply) => {
    reply.header('Cache-Control', 'no-store')
    if (err instanceof ControlInputError) {
      request.log.info(`test controls: ${err.message}`)
      return reply.code(400).send(err.toJSON())
    }
    if (err instanceof ControlConflict) return reply.code(409).send(err.toJSON())
    if (err instanceof TooManyWaiters) return reply.code(429).header('Retry-After', '1').send({ error: 'too_many_requests', error_description: err.message })
    // Everything else (a body that is not JSON, too large; the store down) as the app answers it.
    throw err
  })
}
