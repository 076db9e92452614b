// Auth0's API middleware (express-oauth2-jwt-bearer), configured the usual way (issuerBaseURL + audience),
// accepts Gatehouse's access tokens of both signing algs. It allows only the algs discovery lists in
// id_token_signing_alg_values_supported, so ES256 APIs were refused while that list was RS256 alone.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express, { type ErrorRequestHandler } from 'express'
import { auth } from 'express-oauth2-jwt-bearer'
import t from 'tap'
import { startGatehouse } from '../helpers/listen.js'
import { testTenant } from '../helpers/tenant.js'
import { BACKEND_BASIC } from '../helpers/tokens.js'

const RS_API = 'appointments:api'
const ES_API = 'https://ec.example.com/'

const tenant = testTenant()
tenant.client_grants.push({ client_id: 'backend', audience: ES_API, scope: ['read:ec'] })
const { issuer } = await startGatehouse(t, { config: { tenant } })

// One express app, one protected route per API, each checked by its own middleware.
const api = express()
api.get('/rs', auth({ issuerBaseURL: issuer, audience: RS_API }), (req, res) => void res.json({ sub: req.auth?.payload.sub }))
api.get('/es', auth({ issuerBaseURL: issuer, audience: ES_API }), (req, res) => void res.json({ sub: req.auth?.payload.sub }))
// As an API would answer: the middleware's status and WWW-Authenticate (express's default handler also logs the stack).
api.use(((err, _req, res, _next) => {
  const { status = 500, headers = {}, code = 'server_error' } = err as { status?: number; headers?: Record<string, string>; code?: string }
  res.status(status).set(headers).json({ error: code })
}) satisfies ErrorRequestHandler)
const server: Server = createServer(api)
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

async function accessToken(audience: string): Promise<string> {
  const res = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { authorization: BACKEND_BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', audience }),
  })
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { access_token: string }).access_token
}

const call = (path: string, token: string) => fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })

const algOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { alg: string }).alg

t.test('an RS256 access token is accepted', async (t) => {
  const token = await accessToken(RS_API)
  t.equal(algOf(token), 'RS256')
  const res = await call('/rs', token)
  t.equal(res.status, 200)
  t.strictSame(await res.json(), { sub: 'backend@clients' })
})

t.test('an ES256 access token is accepted', async (t) => {
  const token = await accessToken(ES_API)
  t.equal(algOf(token), 'ES256')
  const res = await call('/es', token)
  t.equal(res.status, 200)
  t.strictSame(await res.json(), { sub: 'backend@clients' })
})

t.test('a tampered token is refused with 401', async (t) => {
  for (const [path, audience] of [['/rs', RS_API], ['/es', ES_API]] as const) {
    const [header, payload, signature] = (await accessToken(audience)).split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'mallory@clients' })).toString('base64url')
    const res = await call(path, `${header}.${forged}.${signature}`)
    t.equal(res.status, 401, path)
    t.strictSame(await res.json(), { error: 'invalid_token' }, path)
    t.match(res.headers.get('www-authenticate'), /^Bearer .*error="invalid_token"/, path)
  }
})

t.test('a token for the other API is refused', async (t) => {
  const res = await call('/es', await accessToken(RS_API))
  t.equal(res.status, 401)
})
