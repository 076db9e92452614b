import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Client } from '../config/types.js'
import { AccessDenied, InvalidRequest } from '../errors/oauth-errors.js'
import { formPostParams, playgroundPageData } from '../playground/pages.js'
import { FIELD_LIMITS } from '../events/event-log.js'
import { flowTimeline } from '../playground/timeline.js'
import { describeTokenResponse, prepareTokenRequest } from '../playground/token-request.js'
import { PLAYGROUND_CLIENT_ID, playgroundUrls } from '../playground/urls.js'
import { makeVariant, VARIANTS, type Variant } from '../playground/variants.js'
import { readParam } from '../util/form-params.js'
import { pathOf, type RouteOptions } from './deps.js'
import { sendPage } from './pages.js'

export interface PlaygroundRouteOptions extends RouteOptions {
  /** where the build put the browser bundle (dist/assets/) */
  assetsDir: string
}

const ASSETS: Record<string, string> = {
  'playground.js': 'text/javascript; charset=utf-8',
  'playground.js.map': 'application/json; charset=utf-8',
}

/** The playground page, its callback view, its backend (token requests, token copies, a flow's timeline) and its script. */
export const playgroundRoutes: FastifyPluginAsync<PlaygroundRouteOptions> = async (app, { deps, assetsDir }) => {
  const urls = playgroundUrls(deps.config.issuer)
  const script = pathOf(deps, 'playground/assets/playground.js')
  const page = async (reply: FastifyReply, view: 'playground' | 'callback', formPost?: Record<string, string>) => {
    const data = { ...(await playgroundPageData(deps.config, deps.store)), ...(formPost && { formPost }) }
    const title = view === 'playground' ? 'Playground' : 'Callback'
    // The callback view is also loaded in the playground's hidden iframe (silent authentication, fragment mode).
    const ancestors = view === 'callback' ? "'self'" : "'none'"
    const template = view === 'playground' ? 'playground' : 'playground-callback'
    return sendPlaygroundPage(reply, template, { title, issuer: deps.config.issuer, urls, script, data, view }, ancestors)
  }

  app.get('/playground', (_request, reply) => page(reply, 'playground'))
  app.get('/playground/callback', (_request, reply) => page(reply, 'callback'))
  // response_mode=form_post: Gatehouse's auto-submitting form posts the response here.
  app.post('/playground/callback', (request, reply) => page(reply, 'callback', formPostParams(request.body)))

  app.post('/playground/token', async (request, reply) => {
    requireSameOrigin(request, deps.config.issuer)
    const client = await deps.store.get<Client>('client', PLAYGROUND_CLIENT_ID)
    if (!client) throw new InvalidRequest(`client ${PLAYGROUND_CLIENT_ID} is not registered`)
    const prepared = prepareTokenRequest(client, `${deps.config.issuer}oauth/token`, request.body ?? {})
    // Sent through the whole server, exactly as an app's backend would send it over the network.
    const res = await app.inject({ method: 'POST', url: pathOf(deps, 'oauth/token'), headers: prepared.headers, payload: prepared.body })
    return reply
      .header('Cache-Control', 'no-store')
      .send({ request: prepared.shown, response: describeTokenResponse(res.statusCode, res.headers, res.body) })
  })

  app.post('/playground/variant', async (request, reply) => {
    requireSameOrigin(request, deps.config.issuer)
    const token = readParam(request.body, 'token')
    const variant = readParam(request.body, 'variant')
    if (token === undefined) throw new InvalidRequest('parameter token is required')
    if (!VARIANTS.includes(variant as Variant)) throw new InvalidRequest(`variant must be one of ${VARIANTS.join(', ')}`)
    const copy = await makeVariant({ keystore: deps.keystore, clock: deps.clock, issuer: deps.config.issuer }, token, variant as Variant)
    return reply.header('Cache-Control', 'no-store').send({ token: copy })
  })

  // What Gatehouse decided for one of the playground's flows, from the event log: never another client's events.
  app.get('/playground/timeline', async (request, reply) => {
    requireSameOrigin(request, deps.config.issuer)
    const state = readParam(request.query, 'state')
    const since = readParam(request.query, 'since')
    if (state !== undefined && state.length > FIELD_LIMITS.state) throw new InvalidRequest(`state is longer than ${FIELD_LIMITS.state} characters`)
    if (since !== undefined && !/^\d{1,15}$/.test(since)) throw new InvalidRequest('since must be a time in milliseconds since 1970')
    const events = flowTimeline(deps.events, { state, since: since === undefined ? undefined : Number(since) })
    return reply.header('Cache-Control', 'no-store').send({ events })
  })

  // Read once each: the bundle changes only with a build, which restarts the server.
  const assets = new Map<string, Promise<Buffer>>()
  const readAsset = (file: string): Promise<Buffer> => {
    let body = assets.get(file)
    if (body === undefined) {
      body = readFile(join(assetsDir, file))
      // a missing bundle is looked for again next time, so a build made meanwhile is served
      body.catch(() => assets.delete(file))
      assets.set(file, body)
    }
    return body
  }

  app.get<{ Params: { file: string } }>('/playground/assets/:file', async (request, reply) => {
    const type = ASSETS[request.params.file]
    if (type === undefined) return reply.callNotFound()
    let body: Buffer
    try {
      body = await readAsset(request.params.file)
    } catch {
      request.log.warn(`playground: ${request.params.file} is missing from ${assetsDir}; run npm run build`)
      return reply.callNotFound()
    }
    return reply.header('Content-Type', type).header('Cache-Control', 'no-cache').send(body)
  })
}

/**
 * The backend acts for the playground page only: a request from another site (Fetch Metadata, else Origin)
 * or from no browser at all is refused, so nobody else can use the client secret it holds.
 */
function requireSameOrigin(request: FastifyRequest, issuer: string): void {
  const site = request.headers['sec-fetch-site']
  const origin = request.headers.origin
  const sameOrigin = site !== undefined ? site === 'same-origin' : origin === new URL(issuer).origin
  if (!sameOrigin) throw new AccessDenied('the playground backend only answers the playground page (same origin)')
}

// The playground's script fetches (the backend, the JWKS, the demo API) and runs silent sign-in in a same-origin iframe.
const PLAYGROUND_DIRECTIVES = "connect-src 'self'; frame-src 'self'"

function sendPlaygroundPage(reply: FastifyReply, view: string, data: Record<string, unknown>, frameAncestors: string) {
  return sendPage(reply, view, data, { frameAncestors, extraDirectives: PLAYGROUND_DIRECTIVES })
}
