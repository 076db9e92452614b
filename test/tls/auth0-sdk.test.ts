// Interop: Auth0's Node SDK (node-auth0's AuthenticationClient), pointed at Gatehouse's CLI over TLS as at
// an Auth0 domain, gets a client_credentials token that verifies against the JWKS. The SDK runs in a child
// process with NODE_EXTRA_CA_CERTS, the way users trust the development CA (Node reads it at start only).
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLocalJWKSet, jwtVerify } from 'jose'
import t from 'tap'
import { runNode, startCli } from '../helpers/replicas.js'
import { httpsGet } from './helpers.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const API = 'https://api.example.test/'
const CLIENT = { client_id: 'm2m', client_secret: 'm2m-secret-for-the-sdk' }

// Run from the repository root, so that `auth0` resolves to its node_modules.
const SDK_SCRIPT = `
import { AuthenticationClient } from 'auth0'
const [domain, clientId, clientSecret, audience] = process.argv.slice(1)
const auth = new AuthenticationClient({ domain, clientId, clientSecret })
const { data } = await auth.oauth.clientCredentialsGrant({ audience })
process.stdout.write(JSON.stringify(data))
`

const runSdk = (args: string[], extraCaCerts: string) =>
  runNode(['--input-type=module', '-e', SDK_SCRIPT, ...args], { cwd: ROOT, env: { NODE_EXTRA_CA_CERTS: extraCaCerts }, timeoutMs: 120_000 })

t.test('AuthenticationClient({ domain: "localhost:PORT" }).oauth.clientCredentialsGrant over TLS', async (t) => {
  const dir = t.testdir()
  await writeFile(
    join(dir, 'gatehouse.json'),
    JSON.stringify({
      clients: [{ ...CLIENT, name: 'Machine', app_type: 'non_interactive' }],
      resource_servers: [{ identifier: API, scopes: [{ value: 'read:things' }] }],
      client_grants: [{ client_id: CLIENT.client_id, audience: API, scope: ['read:things'] }],
    }),
  )
  const keysDir = join(dir, 'keys')
  const cli = await startCli(t, ['--config', join(dir, 'gatehouse.json'), '--tls', '--port', '0', '--keys-dir', keysDir])
  const port = new URL(cli.url).port
  const caFile = join(keysDir, 'tls', 'ca.pem')

  const sdk = await runSdk([`localhost:${port}`, CLIENT.client_id, CLIENT.client_secret, API], caFile)
  t.same({ code: sdk.code, stderr: sdk.stderr }, { code: 0, stderr: '' })
  const tokens = JSON.parse(sdk.stdout)
  t.same({ token_type: tokens.token_type, scope: tokens.scope }, { token_type: 'Bearer', scope: 'read:things' })

  const jwks = JSON.parse((await httpsGet(`https://localhost:${port}/.well-known/jwks.json`, await readFile(caFile, 'utf8'))).body)
  const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), { issuer: `https://localhost:${port}/`, audience: API })
  t.equal(payload.sub, `${CLIENT.client_id}@clients`)
  t.equal(payload.scope, 'read:things')

  const untrusted = await runSdk([`localhost:${port}`, CLIENT.client_id, CLIENT.client_secret, API], '')
  t.equal(untrusted.code, 1, 'without the CA the SDK refuses the connection')
  t.match(untrusted.stderr, "code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'")
})
