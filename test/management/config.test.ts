// The config file grants a client the Management API with an ordinary client_grants entry.
import t from 'tap'
import { loadConfig } from '../../src/config/load.js'
import { checkTenant } from '../../src/config/schema.js'
import { buildServer } from '../../src/server.js'
import { configFileErrorOf, writeConfigFile } from '../helpers/config.js'
import { sharedKeysDir, testTenant } from '../helpers/tenant.js'
import { basicAuth, postToken } from '../helpers/tokens.js'
import { managementApi } from './helpers.js'

const ISSUER = 'http://gatehouse.test/'

const file = (scope: string[], audience = `${ISSUER}api/v2/`) => ({
  issuer: ISSUER,
  clients: [{ client_id: 'm2m', name: 'M2M', app_type: 'non_interactive', client_secret: 'm2m-secret' }],
  users: [{ user_id: 'auth0|zoe', email: 'zoe@example.com', password: 'z' }],
  client_grants: [{ client_id: 'm2m', audience, scope }],
})

t.test('a config file\'s client grant for <issuer>api/v2/ gives a token the Management API accepts', async (t) => {
  const config = loadConfig({}, ['--config', writeConfigFile(t, file(['read:users']))])
  const app = await buildServer({ ...config, keysDir: sharedKeysDir(), logLevel: 'silent' }, { logger: false })
  t.teardown(() => app.close())
  const res = await postToken(app, { grant_type: 'client_credentials', audience: `${ISSUER}api/v2/` }, { authorization: basicAuth('m2m', 'm2m-secret') })
  t.equal(res.statusCode, 200)
  t.equal(res.json().scope, 'read:users')
  const users = await managementApi(app, res.json().access_token).get('/users')
  t.equal(users.statusCode, 200)
  t.strictSame(users.json().map((u: { user_id: string }) => u.user_id), ['auth0|zoe'])
})

t.test('only Management API scopes may be granted for it', async (t) => {
  const { file: path, message } = configFileErrorOf(t, file(['read:users', 'read:appointments']))
  t.match(message, `${path}: client_grants[0].scope[1]: "read:appointments" is not a scope of the Management API (read:users, create:users,`)
})

t.test('checkTenant: with the issuer known, only <issuer>api/v2/ is the Management API', async (t) => {
  const tenant = testTenant()
  tenant.client_grants.push({ client_id: 'backend', audience: 'https://other.example.com/api/v2/', scope: ['read:users'] })
  t.equal(checkTenant(tenant), undefined, 'without the issuer, any …/api/v2/ URL is taken for the Management API')
  t.strictSame(checkTenant(tenant, ISSUER), {
    path: 'client_grants[1].audience',
    message: 'no resource server "https://other.example.com/api/v2/" in resource_servers',
  })
  tenant.client_grants[1] = { client_id: 'backend', audience: `${ISSUER}api/v2/`, scope: ['read:users'] }
  t.equal(checkTenant(tenant, ISSUER), undefined)
})

t.test('an issuer with a path serves the Management API under it, for <issuer>api/v2/', async (t) => {
  const issuer = 'http://gatehouse.test/tenant-a/'
  const config = loadConfig({}, ['--config', writeConfigFile(t, { ...file(['read:users'], `${issuer}api/v2/`), issuer })])
  const app = await buildServer({ ...config, keysDir: sharedKeysDir(), logLevel: 'silent' }, { logger: false })
  t.teardown(() => app.close())
  const res = await app.inject({
    method: 'POST',
    url: '/tenant-a/oauth/token',
    headers: { authorization: basicAuth('m2m', 'm2m-secret'), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', audience: `${issuer}api/v2/` }).toString(),
  })
  t.equal(res.statusCode, 200)
  const users = await app.inject({ url: '/tenant-a/api/v2/users', headers: { authorization: `Bearer ${res.json().access_token}` } })
  t.equal(users.statusCode, 200)
  t.equal((await app.inject({ url: '/api/v2/users' })).statusCode, 404, 'nothing outside the issuer\'s path')
})

t.test('loading a config file checks Management API grants against its issuer', async (t) => {
  const { file: path, message } = configFileErrorOf(t, file(['read:users'], 'https://other.example.com/api/v2/'))
  t.match(message, `${path}: client_grants[0]`)
  t.notOk(loadConfig({}, ['--config', writeConfigFile(t, file(['read:users']))]).tenant.client_grants.length === 0)
})
