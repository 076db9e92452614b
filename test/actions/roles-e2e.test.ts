// End to end, as an app's CI would run it: the built CLI with a config file that names a
// real-world-style post-login Action (roles into both tokens under a namespace, blocked email domains
// refused), an app using openid-client for authorization code + PKCE, and a browser stand-in.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import * as client from 'openid-client'
import t from 'tap'
import type { Test } from 'tap'
import { discover, userAgent } from '../helpers/openid-client.js'
import { startCli } from '../helpers/replicas.js'
import { fixture } from './helpers.js'

const CALLBACK = 'http://127.0.0.1:3000/callback'
const ROLES = 'https://organizer.example.com/roles'

const tenant = {
  clients: [
    {
      client_id: 'organizer',
      name: 'Organizer',
      app_type: 'spa',
      callbacks: [CALLBACK],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
      is_first_party: true,
    },
  ],
  resource_servers: [
    {
      identifier: 'appointments:api',
      name: 'Appointments API',
      scopes: [{ value: 'read:appointments', description: 'Read your appointments' }],
      skip_consent_for_verifiable_first_party_clients: true,
    },
  ],
  roles: [{ name: 'editor' }, { name: 'viewer' }],
  users: [
    { user_id: 'auth0|alice', username: 'alice', email: 'alice@example.com', password: 'wonderland', roles: ['editor', 'viewer'] },
    { user_id: 'auth0|mallory', username: 'mallory', email: 'mallory@Blocked.Example', password: 'not-welcome' },
  ],
  actions: [{ name: 'add-roles', trigger: 'post-login', script: './actions/add-roles.js', secrets: { BLOCKED_DOMAINS: 'blocked.example, spam.example' } }],
}

/** Starts dist/cli.js on a config file beside the Action, as a user's repository would hold them; its issuer. */
async function startCliWithAction(t: Test): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-e2e-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await mkdir(join(dir, 'actions'))
  await copyFile(fixture('add-roles.js'), join(dir, 'actions', 'add-roles.js'))
  await writeFile(join(dir, 'gatehouse.json'), JSON.stringify(tenant))
  const cli = await startCli(t, ['--config', join(dir, 'gatehouse.json'), '--port', '0', '--keys-dir', join(dir, 'keys'), '--log-format', 'json'])
  return cli.issuer
}

t.test('roles in both tokens under the namespace; a blocked domain is refused at the callback', async (t) => {
  const issuer = await startCliWithAction(t)
  const config = await discover(issuer, 'organizer')
  const signIn = async (username: string, password: string) => {
    const verifier = client.randomPKCECodeVerifier()
    const state = client.randomState()
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: CALLBACK,
      scope: 'openid profile email read:appointments',
      audience: 'appointments:api',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    })
    const callback = await userAgent(issuer, { username, password }).run(url)
    return client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state })
  }

  const tokens = await signIn('alice', 'wonderland')
  t.same(tokens.claims()![ROLES], ['editor', 'viewer'], 'ID token, validated by openid-client')
  const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL('.well-known/jwks.json', issuer)), {
    issuer,
    audience: 'appointments:api',
  })
  t.same(payload[ROLES], ['editor', 'viewer'], 'access token, verified against the JWKS')
  t.equal(payload.scope, 'openid profile email read:appointments')

  const refused = await signIn('mallory', 'not-welcome').then(
    () => undefined,
    (error: unknown) => error,
  )
  t.type(refused, client.AuthorizationResponseError)
  t.match(refused, { error: 'access_denied', error_description: 'Sign-ins from blocked.example are not allowed' })
})
