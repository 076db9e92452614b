// Interop: Auth0's Node SDK (node-auth0 v4), unmodified and without a custom fetch, drives Gatehouse over
// --tls as it drives an Auth0 tenant: ManagementClient creates an RBAC API, a role with a permission and a
// user, assigns the role and rotates the signing key; AuthenticationClient's password grant gets tokens
// whose `permissions` claim follows the role; old and new tokens verify against the JWKS. The SDK runs
// in a child process whose NODE_EXTRA_CA_CERTS names <keys-dir>/tls/ca.pem (Node reads it at start only).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { machine } from '../management/helpers.js'
import { MANAGEMENT_SCOPES } from '../../src/management/scopes.js'
import { buildServer } from '../../src/server.js'
import { freePort } from '../helpers/listen.js'
import { runNode } from '../helpers/replicas.js'
import { testConfig } from '../helpers/tenant.js'
import { madeKey } from '../helpers/made-keys.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/node-auth0-rbac.mjs', import.meta.url))

const API = 'https://reports.example.test/'
const MANAGER = { id: 'ci-manager', secret: 'ci-manager-secret-0123456789' }
const APP = { id: 'reports-app', secret: 'reports-app-secret-0123456789' }
const USER = { email: 'rita@example.test', password: 'rita-reads-reports' }

interface Step {
  value?: any
  error?: Record<string, unknown>
}

/** Runs the fixture with the CA trusted; resolves with its steps (name → value or error). */
async function runSdk(input: unknown, caFile: string): Promise<Record<string, Step>> {
  const { code, stdout, stderr } = await runNode([FIXTURE, JSON.stringify(input)], { env: { NODE_EXTRA_CA_CERTS: caFile }, timeoutMs: 120_000 })
  if (code !== 0 || stderr !== '') throw new Error(`SDK process exited with ${code}:\n${stderr}\n${stdout}`)
  return JSON.parse(stdout) as Record<string, Step>
}

// The issuer names the port, and the Management API's client grant names the issuer: the port comes first.
const port = await freePort()
const issuer = `https://localhost:${port}/`
// A directory of its own: the keys are rotated here (t.testdir() of the root test is shared by a suite's files).
const dir = await mkdtemp(join(tmpdir(), 'gatehouse-node-auth0-'))
t.teardown(() => rm(dir, { recursive: true, force: true }))
const keysDir = join(dir, 'keys')
const base = testConfig()
const config = testConfig({
  issuer,
  port,
  keysDir,
  tls: { kind: 'development-ca' },
  tenant: {
    ...base.tenant,
    clients: [
      ...base.tenant.clients,
      machine(MANAGER.id, MANAGER.secret),
      { ...machine(APP.id, APP.secret), app_type: 'regular_web', grant_types: ['password'] },
    ],
    client_grants: [...base.tenant.client_grants, { client_id: MANAGER.id, audience: `${issuer}api/v2/`, scope: [...MANAGEMENT_SCOPES] }],
  },
})
const app = await buildServer(config, { logger: false, generateKey: madeKey })
await app.listen({ host: '127.0.0.1', port })
t.teardown(() => app.close())

const caFile = join(keysDir, 'tls', 'ca.pem')
const steps = await runSdk({ domain: `localhost:${port}`, manager: MANAGER, app: APP, api: API, user: USER }, caFile)

/** The step's value; undefined, failing the test with the SDK's error, when the step failed (or never ran: see the last test). */
function valueOf(t: Test, name: string): any {
  const step = steps[name]
  if (step?.error !== undefined) t.fail(`${name}: ${JSON.stringify(step.error)}`)
  return step?.value
}

const READS_REPORTS = [{ resource_server_identifier: API, permission_name: 'read:reports' }]

t.test('ManagementClient over https: an RBAC API, a role with a permission, a user with the role', async (t) => {
  const api = valueOf(t, 'createApi')
  if (api === undefined) return
  t.strictSame(api, { status: 201, identifier: API, enforce_policies: true, token_dialect: 'access_token_authz' })

  const role = valueOf(t, 'createRole')
  if (role === undefined) return
  // Auth0's answers: 200 with the role, 201 for permissions added to a role, 204 for roles given to a user
  t.match(role, { status: 200, id: /^rol_/, name: 'Report reader', description: 'Reads reports' })
  const added = valueOf(t, 'addRolePermissions')
  if (added === undefined) return
  t.equal(added.status, 201)
  const rolePermissions = valueOf(t, 'rolePermissions')
  if (rolePermissions === undefined) return
  t.strictSame(rolePermissions, READS_REPORTS)

  const user = valueOf(t, 'createUser')
  if (user === undefined) return
  t.match(user, { status: 201, user_id: /^auth0\|/, email: USER.email })
  const assigned = valueOf(t, 'assignRole')
  if (assigned === undefined) return
  t.equal(assigned.status, 204)
  const userRoles = valueOf(t, 'userRoles')
  if (userRoles === undefined) return
  t.strictSame(userRoles, [{ id: role.id, name: 'Report reader' }])
  const userPermissions = valueOf(t, 'userPermissions')
  if (userPermissions === undefined) return
  t.strictSame(userPermissions, READS_REPORTS)
})

t.test("AuthenticationClient password grant: the token carries the role's permission, and only permitted scopes", async (t) => {
  const login = valueOf(t, 'passwordGrant')
  if (login === undefined) return
  const userId = steps.createUser?.value?.user_id
  t.equal(login.status, 200)
  t.equal(login.token_type, 'Bearer')
  // enforce_policies: write:reports was asked for, but the user is not permitted it
  t.equal(login.scope, 'openid read:reports')
  t.match(login.claims, { iss: issuer, sub: userId, aud: [API, `${issuer}userinfo`], scope: 'openid read:reports', gty: 'password' })
  t.strictSame(login.claims.permissions, ['read:reports'])
  // the SDK verified the ID token itself (signature from the JWKS, iss, aud) before returning it
  t.match(login.id_token_claims, { iss: issuer, sub: userId, aud: APP.id })
  t.strictSame(valueOf(t, 'verifyFirst'), { verified: true, kid: login.header.kid, permissions: ['read:reports'] })
})

interface KeyState {
  kid: string
  current?: boolean
  next?: boolean
  previous?: boolean
}
const kidsWhere = (keys: KeyState[], flag: 'current' | 'next' | 'previous') => keys.filter((k) => k[flag] === true).map((k) => k.kid)

t.test('keys.rotate: next becomes current, the previous key still verifies until revoked', async (t) => {
  const first = steps.passwordGrant?.value
  const before = valueOf(t, 'keysBefore') as KeyState[] | undefined
  if (first === undefined || before === undefined) return
  const oldKid = first.header.kid as string
  t.strictSame(kidsWhere(before, 'current'), [oldKid], 'the first token was signed with the current key')
  const nextKids = kidsWhere(before, 'next')
  t.equal(nextKids.length, 1, 'a next key is published before the rotation')
  const nextKid = nextKids[0]
  t.not(nextKid, oldKid)

  const rotate = valueOf(t, 'rotate')
  const after = valueOf(t, 'keysAfter') as KeyState[] | undefined
  if (rotate === undefined || after === undefined) return
  t.equal(rotate.status, 201)
  t.equal(rotate.cert, true, 'rotate answers with a PEM certificate')
  t.ok(after.some((k) => k.kid === rotate.kid), 'the kid rotate answers with is listed')
  t.strictSame(kidsWhere(after, 'current'), [nextKid], 'next became current')
  t.strictSame(kidsWhere(after, 'previous'), [oldKid], 'current became previous')
  const newNext = kidsWhere(after, 'next')
  t.equal(newNext.length, 1, 'a new next key')
  t.notOk([oldKid, nextKid].includes(newNext[0]), 'the new next key is new')

  const second = valueOf(t, 'passwordGrantAfterRotation')
  if (second === undefined) return
  const verified = (kid: string | undefined) => ({ verified: true, kid, permissions: ['read:reports'] })
  t.equal(second.header.kid, nextKid, 'tokens are signed with the new current key')
  t.strictSame(second.claims.permissions, ['read:reports'])
  t.strictSame(valueOf(t, 'verifySecondWithJwksFromBefore'), verified(nextKid), 'a JWKS fetched before the rotation verifies the new token')
  t.strictSame(valueOf(t, 'verifyFirstAfterRotation'), verified(oldKid), 'the previous key is still published')
  t.strictSame(valueOf(t, 'verifySecondAfterRotation'), verified(nextKid))

  const revoked = valueOf(t, 'revokePrevious')
  if (revoked === undefined) return
  t.strictSame(revoked, { status: 200, kid: oldKid })
  const revokedKey = { verified: false, code: 'ERR_JWKS_NO_MATCHING_KEY' }
  t.strictSame(valueOf(t, 'verifyFirstAfterRevocation'), revokedKey, 'a revoked key leaves the JWKS')
  t.strictSame(valueOf(t, 'verifySecondAfterRevocation'), verified(nextKid))
})

t.test('every step of the SDK run ran', async (t) => {
  t.strictSame(Object.keys(steps), [
    'createApi',
    'createRole',
    'addRolePermissions',
    'rolePermissions',
    'createUser',
    'assignRole',
    'userRoles',
    'userPermissions',
    'passwordGrant',
    'verifyFirst',
    'keysBefore',
    'rotate',
    'keysAfter',
    'passwordGrantAfterRotation',
    'verifySecondWithJwksFromBefore',
    'verifyFirstAfterRotation',
    'verifySecondAfterRotation',
    'revokePrevious',
    'verifyFirstAfterRevocation',
    'verifySecondAfterRevocation',
  ])
})
