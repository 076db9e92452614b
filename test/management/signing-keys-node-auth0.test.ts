// Auth0's own Node SDK (auth0 v4, ManagementClient.keys) rotates, lists, reads and revokes Gatehouse's
// signing keys; tokens verified against the published JWKS (jose's remote key set, as APIs do) follow.
import { ManagementApiError, ManagementClient } from 'auth0'
import { X509Certificate } from 'node:crypto'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import t from 'tap'
import { MANAGEMENT_SCOPES } from '../../src/management/scopes.js'
import { buildServer } from '../../src/server.js'
import { freePort } from '../helpers/listen.js'
import { testConfig, testTenant } from '../helpers/tenant.js'
import { basicAuth } from '../helpers/tokens.js'
import { machine } from './helpers.js'
import { madeKey } from '../helpers/made-keys.js'

const port = await freePort()
const issuer = `http://127.0.0.1:${port}/`
const tenant = testTenant()
tenant.clients.push(machine('manager', 'manager-secret'))
tenant.client_grants.push({ client_id: 'manager', audience: `${issuer}api/v2/`, scope: [...MANAGEMENT_SCOPES] })
// Its own keys directory: these rotations must not change the keys other tests use.
const app = await buildServer(testConfig({ issuer, port, tenant, keysDir: t.testdir() }), { logger: false, generateKey: madeKey })
await app.listen({ host: '127.0.0.1', port })
t.teardown(() => app.close())

/** A client with a token of its own: the SDK keeps its token, and a token signed with a revoked key stops working. */
const managementClient = () =>
  new ManagementClient({
    domain: `127.0.0.1:${port}`,
    clientId: 'manager',
    clientSecret: 'manager-secret',
    audience: `${issuer}api/v2/`,
    telemetry: false,
    // The SDK always speaks https://<domain>; Gatehouse listens on plain HTTP here.
    fetch: (url, init) => fetch(String(url instanceof Request ? url.url : url).replace(/^https:/, 'http:'), init),
  })

async function apiToken(): Promise<string> {
  const res = await fetch(`${issuer}oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('backend', 'backend-secret') },
    body: new URLSearchParams({ grant_type: 'client_credentials', audience: 'appointments:api' }),
  })
  return ((await res.json()) as { access_token: string }).access_token
}

/** true, or jose's error code, against the JWKS fetched now. */
const verification = (token: string) =>
  jwtVerify(token, createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`)), { issuer, audience: 'appointments:api' }).then(
    () => true,
    (err: { code?: string }) => err.code,
  )

const flags = (keys: { kid: string; current?: boolean; next?: boolean; previous?: boolean; revoked?: boolean }[]) =>
  keys.map(({ kid, current, next, previous, revoked }) => ({ kid, current, next, previous, revoked }))

t.test('keys.getAll, rotate, get and revoke, as the SDK sends them', async (t) => {
  const management = managementClient()
  const before = await management.keys.getAll()
  t.equal(before.status, 200)
  t.equal(before.data.length, 2)
  const [current, next] = before.data
  t.strictSame(flags(before.data), [
    { kid: current!.kid, current: true, next: false, previous: false, revoked: false },
    { kid: next!.kid, current: false, next: true, previous: false, revoked: false },
  ])
  const oldToken = await apiToken()
  t.equal(decodeProtectedHeader(oldToken).kid, current!.kid)

  const rotated = await management.keys.rotate()
  t.equal(rotated.status, 201)
  t.equal(rotated.data.kid, next!.kid, 'the next key is current now')
  t.ok(new X509Certificate(rotated.data.cert), 'with its certificate')

  const after = await management.keys.getAll()
  t.strictSame(flags(after.data).map(({ current, next, previous }) => ({ current, next, previous })), [
    { current: true, next: false, previous: false },
    { current: false, next: true, previous: false },
    { current: false, next: false, previous: true },
  ])
  t.equal(after.data[0]!.kid, next!.kid)
  t.equal(after.data[2]!.kid, current!.kid)
  const read = await management.keys.get({ kid: current!.kid })
  t.strictSame(read.data, after.data[2])

  const newToken = await apiToken()
  t.equal(decodeProtectedHeader(newToken).kid, next!.kid, 'new tokens are signed with the new current key')
  t.equal(await verification(oldToken), true, 'the old token verifies: its key is the previous one')
  t.equal(await verification(newToken), true)

  const notPrevious = await management.keys.revoke({ kid: next!.kid }).catch((err: unknown) => err)
  t.ok(notPrevious instanceof ManagementApiError)
  t.match(notPrevious, { statusCode: 400, error: 'Bad Request', message: 'Only the previous signing key can be revoked; this one is the current key.' })
  const unknown = await management.keys.get({ kid: 'no-such-kid' }).catch((err: unknown) => err)
  t.match(unknown, { statusCode: 404, error: 'Not Found', message: 'Signing key not found.' })

  // This client's token was signed with the key it revokes: the last thing it does.
  const revoked = await management.keys.revoke({ kid: current!.kid })
  t.equal(revoked.status, 200)
  t.equal(revoked.data.kid, current!.kid)
  t.equal(await verification(oldToken), 'ERR_JWKS_NO_MATCHING_KEY', 'the revoked key left the JWKS')
  t.equal(await verification(newToken), true)

  const stale = await management.keys.getAll().catch((err: unknown) => err)
  t.match(stale, { statusCode: 401 }, 'a Management API token signed with the revoked key no longer works')
  const listed = await managementClient().keys.getAll()
  t.strictSame(flags(listed.data).map((k) => k.revoked), [false, false, true])
  t.equal(listed.data[2]!.kid, current!.kid)
})
