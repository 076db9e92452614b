#!/usr/bin/env node
// The Appointments API: a resource server that trusts Gatehouse. It never talks to Gatehouse about a
// particular token; it checks each bearer token itself, with the public keys Gatehouse publishes:
//
//   1. the signature, with the key from the JWKS whose kid the token names
//   2. iss: the token comes from our Gatehouse
//   3. aud: the token was issued for this API (an ID token, or a token for another API, fails here)
//   4. exp: the token has not expired
//   5. scope: the user let this app do what this endpoint does
//
// 1 to 4 fail with 401 invalid_token, 5 with 403 insufficient_scope (RFC 6750 §3.1).
//
//   node examples/organizer/api-server.mjs      (demo.mjs starts it for you)

import { createServer } from 'node:http'
import { pathToFileURL } from 'node:url'
import { createRemoteJWKSet, errors, jwtVerify } from 'jose'
import { AUDIENCE, HOST, readSettings } from './settings.mjs'

const APPOINTMENTS = [
  { id: 'apt-1', title: 'Dentist check-up', starts_at: '2030-03-04T09:30:00Z', where: 'Smile Street 12' },
  { id: 'apt-2', title: 'Lunch with the study group', starts_at: '2030-03-05T12:00:00Z', where: 'Café Redirect' },
  { id: 'apt-3', title: 'Renew passport', starts_at: '2030-03-11T11:15:00Z', where: 'Town hall, desk 4' },
]

const CONTACTS = [
  { id: 'c-1', name: 'Dr. Molar', phone: '+1 555 0100' },
  { id: 'c-2', name: 'Town hall', phone: '+1 555 0199' },
]

/** Each endpoint and the scope a token needs for it. */
const ROUTES = {
  '/api/appointments': { scope: 'appointments', answer: () => ({ appointments: APPOINTMENTS }) },
  '/api/contacts': { scope: 'contacts', answer: () => ({ contacts: CONTACTS }) },
}

/** A failed check: the HTTP status, the RFC 6750 error code (none for a request without a token) and why. */
class Rejection extends Error {
  constructor(status, error, description, scope) {
    super(description)
    this.status = status
    this.error = error
    this.scope = scope
  }
}

/**
 * The request handler. `issuer` is Gatehouse's issuer, `allowedOrigin` the SPA's origin (CORS),
 * `jwks` a key resolver for jose (createRemoteJWKSet by default).
 */
export function createApi({ issuer, allowedOrigin, jwks = createRemoteJWKSet(new URL('.well-known/jwks.json', issuer)) }) {
  async function verify(token) {
    try {
      // jose checks the signature first, then the claims; RS256 is the signing_alg in gatehouse.json.
      const { payload } = await jwtVerify(token, jwks, { issuer, audience: AUDIENCE, algorithms: ['RS256'] })
      return payload
    } catch (error) {
      // Not the token's fault: Gatehouse could not be asked for its keys.
      if (error instanceof errors.JWKSTimeout || error instanceof TypeError) {
        throw new Rejection(503, 'temporarily_unavailable', `could not fetch the signing keys from ${new URL('.well-known/jwks.json', issuer)}`)
      }
      throw new Rejection(401, 'invalid_token', explain(error, issuer))
    }
  }

  return async function handle(request, response) {
    const origin = request.headers.origin
    const cors = origin === allowedOrigin
      ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'WWW-Authenticate', Vary: 'Origin' }
      : { Vary: 'Origin' }
    const path = new URL(request.url ?? '/', 'http://api.invalid').pathname
    const route = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined

    // The browser asks first whether the SPA may send an Authorization header (a CORS preflight).
    if (request.method === 'OPTIONS' && route) {
      const allowed = origin === allowedOrigin
        ? { 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'Authorization', 'Access-Control-Max-Age': '600' }
        : {}
      response.writeHead(204, { ...cors, ...allowed }).end()
      return
    }
    const send = (status, body, headers = {}) => {
      response
        .writeHead(status, { ...cors, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers })
        .end(`${JSON.stringify(body, null, 2)}\n`)
    }
    if (!route) return send(404, { error: 'not_found', error_description: `no endpoint ${path}; try GET /api/appointments` })
    if (request.method !== 'GET') return send(405, { error: 'method_not_allowed', error_description: 'only GET is served' }, { Allow: 'GET, OPTIONS' })

    try {
      const token = readBearerToken(request.headers.authorization)
      const payload = await verify(token)
      const granted = typeof payload.scope === 'string' ? payload.scope.split(' ') : []
      if (!granted.includes(route.scope)) {
        throw new Rejection(403, 'insufficient_scope', `the access token lacks the scope ${route.scope} (it has: ${granted.join(' ') || 'none'})`, route.scope)
      }
      send(200, { user: payload.sub, scope: granted, ...route.answer() })
    } catch (error) {
      if (!(error instanceof Rejection)) {
        send(500, { error: 'server_error', error_description: 'the API failed; see its log' })
        console.error('appointments api:', error)
        return
      }
      const body = error.error ? { error: error.error, error_description: error.message } : { error_description: error.message }
      send(error.status, body, error.status < 500 ? { 'WWW-Authenticate': challenge(error) } : {})
    }
  }
}

/** The token from `Authorization: Bearer <token>` (RFC 6750 §2.1). */
function readBearerToken(header) {
  // Without credentials the answer is a bare challenge, with no error code (RFC 6750 §3.1).
  if (header === undefined || !/^bearer(\s|$)/i.test(header)) {
    throw new Rejection(401, undefined, 'no access token: send it in the Authorization header as "Bearer <token>"')
  }
  const match = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header)
  if (!match) throw new Rejection(400, 'invalid_request', 'the Authorization header must be "Bearer " and one token')
  return match[1]
}

/** What went wrong, in words a learner can act on. */
function explain(error, issuer) {
  if (error instanceof errors.JWTExpired) return `the access token expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}`
  if (error instanceof errors.JWTClaimValidationFailed) {
    const got = JSON.stringify(error.payload[error.claim])
    if (error.claim === 'aud') return `the token is not meant for this API: aud must include ${AUDIENCE}, got ${got}`
    if (error.claim === 'iss') return `the token was issued by ${got}, not by ${issuer}`
    return `the token's ${error.claim} claim is not valid (${error.reason})`
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not match: the token was changed after it was signed'
  if (error instanceof errors.JWKSNoMatchingKey) return "no key in Gatehouse's JWKS matches the token's kid"
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm this API does not accept (only RS256)'
  return 'the token is not a well-formed signed JWT'
}

/** The WWW-Authenticate header (RFC 6750 §3); error_description may hold neither '"' nor '\'. */
function challenge({ error, message, scope }) {
  let value = `Bearer realm="${AUDIENCE}"`
  if (error) value += `, error="${error}", error_description="${message.replace(/["\\]/g, "'")}"`
  if (scope) value += `, scope="${scope}"`
  return value
}

/** Starts listening; resolves to the server once it does. */
export async function startApi(settings = readSettings()) {
  const server = createServer(createApi({ issuer: settings.issuer, allowedOrigin: settings.spaOrigin }))
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(settings.apiPort, HOST, resolve)
  })
  return server
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const settings = readSettings()
  try {
    const server = await startApi(settings)
    console.log(`appointments api: ${settings.apiUrl} (tokens from ${settings.issuer}, for ${AUDIENCE})`)
    const stop = () => {
      server.close(() => process.exit(0))
      server.closeAllConnections()
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  } catch (error) {
    const busy = error.code === 'EADDRINUSE'
    console.error(`appointments api: ${busy ? `port ${settings.apiPort} is already in use` : error.message}`)
    process.exit(2)
  }
}
