import path from 'node:path'
import t from 'tap'
import { createDemoTenant } from '../../src/config/demo-tenant.js'
import { DEFAULT_TTL, HelpRequested, loadConfig } from '../../src/config/load.js'
import { configErrorOf, writeConfigFile } from '../helpers/config.js'

const spa = { client_id: 'organizer', name: 'Organizer', callbacks: ['http://localhost:3000/callback'] }
const api = {
  identifier: 'appointments:api',
  scopes: [{ value: 'read:appointments', description: 'Read your appointments' }]
}

t.test('without a config file: built-in defaults and the demo tenant', async (t) => {
  const config = loadConfig({}, [])
  t.same(config, {
    port: 4000,
    host: '127.0.0.1',
    issuer: 'http://localhost:4000/',
    keysDir: './keys',
    store: 'memory:',
    logLevel: 'info',
    ttl: DEFAULT_TTL,
    tenant: createDemoTenant(),
    demo: true,
    actions: [],
    testControls: false
  })
  t.equal(config.configFile, undefined)
})

t.test('the result is deeply frozen', async (t) => {
  const config = loadConfig({}, [])
  t.ok(Object.isFrozen(config))
  t.ok(Object.isFrozen(config.ttl))
  t.ok(Object.isFrozen(config.tenant.clients[0]?.callbacks))
  t.ok(Object.isFrozen(config.tenant.users[1]))
})

t.test('the demo tenant is a fresh object each time', async (t) => {
  const a = createDemoTenant()
  a.users.pop()
  t.equal(createDemoTenant().users.length, 2)
})

t.test('precedence: defaults < file < env < flags', async (t) => {
  const file = writeConfigFile(t, { port: 5000, host: '0.0.0.0', log_level: 'warn', ttl: { code: 30 } })
  const env = { PORT: '6000', LOG_LEVEL: 'debug' }

  const fromFile = loadConfig({}, ['--config', file])
  t.equal(fromFile.port, 5000)
  t.equal(fromFile.host, '0.0.0.0')
  t.equal(fromFile.logLevel, 'warn')
  t.equal(fromFile.issuer, 'http://localhost:5000/')
  t.same(fromFile.ttl, { ...DEFAULT_TTL, code: 30 })
  t.equal(fromFile.demo, false)
  t.equal(fromFile.configFile, file)
  t.same(fromFile.tenant, { clients: [], resource_servers: [], users: [], client_grants: [] })

  const fromEnv = loadConfig({ ...env, GATEHOUSE_CONFIG: file }, [])
  t.equal(fromEnv.port, 6000)
  t.equal(fromEnv.logLevel, 'debug')
  t.equal(fromEnv.host, '0.0.0.0')
  t.equal(fromEnv.issuer, 'http://localhost:6000/')

  const fromFlags = loadConfig({ ...env, GATEHOUSE_CONFIG: file }, ['--port', '7000', '--log-level=trace'])
  t.equal(fromFlags.port, 7000)
  t.equal(fromFlags.logLevel, 'trace')
  t.equal(fromFlags.issuer, 'http://localhost:7000/')
})

t.test('the --config flag wins over GATEHOUSE_CONFIG', async (t) => {
  const file = writeConfigFile(t, { port: 5001 })
  t.equal(loadConfig({ GATEHOUSE_CONFIG: path.join(path.dirname(file), 'missing.json') }, ['-c', file]).port, 5001)
})

t.test('empty environment variables count as unset', async (t) => {
  t.equal(loadConfig({ PORT: '', GATEHOUSE_ISSUER: '' }, []).port, 4000)
})

t.test('every setting has a flag and an environment twin', async (t) => {
  const env = {
    PORT: '1',
    HOST: '::1',
    GATEHOUSE_ISSUER: 'https://env.example.test',
    GATEHOUSE_KEYS_DIR: '/var/env-keys',
    GATEHOUSE_STORE: 'memory:',
    LOG_LEVEL: 'error'
  }
  const fromEnv = loadConfig(env, [])
  t.match(fromEnv, {
    port: 1,
    host: '::1',
    issuer: 'https://env.example.test/',
    keysDir: '/var/env-keys',
    store: 'memory:',
    logLevel: 'error'
  })
  const fromFlags = loadConfig(env, [
    '--port=2',
    '--host=localhost',
    '--issuer=https://flag.example.test/',
    '--keys-dir=flag-keys',
    '--store=memory:',
    '--log-level=silent'
  ])
  t.match(fromFlags, {
    port: 2,
    host: 'localhost',
    issuer: 'https://flag.example.test/',
    keysDir: 'flag-keys',
    logLevel: 'silent'
  })
})

t.test('the issuer always ends with a slash', async (t) => {
  t.equal(loadConfig({}, ['--issuer', 'http://localhost:9000']).issuer, 'http://localhost:9000/')
  t.equal(loadConfig({}, ['--issuer', 'https://id.example.test/tenant']).issuer, 'https://id.example.test/tenant/')
  t.equal(loadConfig({}, ['--issuer', 'https://id.example.test/tenant/']).issuer, 'https://id.example.test/tenant/')
  t.equal(loadConfig({ GATEHOUSE_ISSUER: 'http://127.0.0.1:4000' }, []).issuer, 'http://127.0.0.1:4000/')
  const file = writeConfigFile(t, { issuer: 'https://auth.example.test' })
  t.equal(loadConfig({}, ['--config', file]).issuer, 'https://auth.example.test/')
  t.equal(loadConfig({}, ['--port', '0']).issuer, 'http://localhost:0/', 'the CLI settles port 0')
})

t.test('a bad issuer is rejected', async (t) => {
  const message = 'must be an http(s) URL without query or fragment'
  t.equal(configErrorOf({}, ['--issuer', 'ftp://example.test/']), `--issuer: ${message}`)
  t.equal(configErrorOf({}, ['--issuer', 'https://example.test/?tenant=1']), `--issuer: ${message}`)
  t.equal(configErrorOf({ GATEHOUSE_ISSUER: 'localhost:4000' }, []), `GATEHOUSE_ISSUER: ${message}`)
  const file = writeConfigFile(t, { issuer: 'https://example.test/#x' })
  t.equal(configErrorOf({}, ['--config', file]), `${file}: issuer: ${message}`)
})

t.test('a bad port is rejected, naming where it came from', async (t) => {
  const message = 'must be an integer between 0 and 65535'
  t.equal(configErrorOf({}, ['--port', 'abc']), `--port: ${message}`)
  t.equal(configErrorOf({}, ['--port', '65536']), `--port: ${message}`)
  t.equal(configErrorOf({}, ['--port=-1']), `--port: ${message}`)
  t.equal(configErrorOf({}, ['--port', '4000.5']), `--port: ${message}`)
  t.equal(configErrorOf({ PORT: 'http' }, []), `PORT: ${message}`)
  t.equal(loadConfig({}, ['--port', '65535']).port, 65535)
  const file = writeConfigFile(t, { port: 70000 })
  t.equal(configErrorOf({}, ['--config', file]), `${file}: port: ${message}`)
})

t.test('bad flags', async (t) => {
  t.equal(configErrorOf({}, ['--bogus']), '--bogus: unknown flag (see --help)')
  t.equal(configErrorOf({}, ['-x']), '-x: unknown flag (see --help)')
  t.equal(configErrorOf({}, ['serve']), 'unexpected argument "serve" (see --help)')
  t.equal(configErrorOf({}, ['--port']), '--port: needs a value')
  t.equal(configErrorOf({}, ['--config', '--port', '1']), '--config: needs a value (write --config=VALUE if it starts with "-")')
  t.equal(configErrorOf({}, ['--help=yes']), '--help: does not take a value')
  t.equal(configErrorOf({}, ['--log-level', 'loud']), '--log-level: must be one of fatal, error, warn, info, debug, trace, silent')
  t.equal(configErrorOf({}, ['--host', '']), '--host: must not be empty')
})

t.test('--help asks the CLI to print the usage', async (t) => {
  for (const argv of [['--help'], ['-h'], ['--port', 'nonsense', '--help']]) {
    t.throws(() => loadConfig({}, argv), HelpRequested)
  }
  let usage: string | undefined
  try {
    loadConfig({}, ['-h'])
  } catch (error) {
    if (error instanceof HelpRequested) usage = error.usage
  }
  t.match(usage, /--config FILE/)
  t.match(usage, /GATEHOUSE_ISSUER/)
})

t.test('a store URL must name an adapter', async (t) => {
  const forms = 'must be memory:, sqlite:PATH or postgres://user:password@host:port/database'
  t.equal(configErrorOf({}, ['--store', 'redis://localhost']), `--store: ${forms}`)
  t.equal(configErrorOf({ GATEHOUSE_STORE: 'sqlite:' }, []), `GATEHOUSE_STORE: ${forms}`)
  t.equal(loadConfig({}, ['--store', 'sqlite:./gatehouse.db']).store, 'sqlite:./gatehouse.db', 'a flag path is the shell’s: relative to the working directory')
  t.equal(loadConfig({ GATEHOUSE_STORE: 'postgresql://u:p@db/x' }, []).store, 'postgresql://u:p@db/x')
})

t.test('an unreadable config file', async (t) => {
  const dir = t.testdir({ sub: {} })
  const missing = path.join(dir, 'missing.json')
  t.equal(configErrorOf({}, ['--config', missing]), `${missing}: file not found`)
  t.equal(configErrorOf({}, ['--config', path.join(dir, 'sub')]), `${path.join(dir, 'sub')}: is a directory, not a file`)
})

t.test('JSON syntax errors name the file, line and column', async (t) => {
  const trailingComma = writeConfigFile(t, '{\n  "port": 4000,\n}\n')
  t.equal(
    configErrorOf({}, ['--config', trailingComma]),
    `${trailingComma}: invalid JSON at line 3, column 1: expected a property name in double quotes, found "}"`
  )
  const truncated = writeConfigFile(t, '{\n  "clients": [\n')
  t.equal(configErrorOf({}, ['--config', truncated]), `${truncated}: invalid JSON at line 3, column 1: expected a value, found end of file`)
  const empty = writeConfigFile(t, '')
  t.equal(configErrorOf({}, ['--config', empty]), `${empty}: invalid JSON at line 1, column 1: expected a value, found end of file`)
})

t.test('a byte order mark is allowed', async (t) => {
  const file = writeConfigFile(t, '\uFEFF{"port": 4100}')
  t.equal(loadConfig({}, ['--config', file]).port, 4100)
})

t.test('the file must hold an object', async (t) => {
  const file = writeConfigFile(t, '[]')
  t.equal(configErrorOf({}, ['--config', file]), `${file}: must be an object`)
})

t.test('unknown keys are errors, with their path', async (t) => {
  const file = writeConfigFile(t, { clients: [{ ...spa, redirect_uris: ['http://localhost:3000/callback'] }] })
  t.equal(configErrorOf({}, ['--config', file]), `${file}: clients[0]: unknown key "redirect_uris"`)
  const top = writeConfigFile(t, { tenant: {} })
  t.equal(configErrorOf({}, ['--config', top]), `${top}: unknown key "tenant"`)
  const ttl = writeConfigFile(t, { ttl: { access_token: 60 } })
  t.equal(configErrorOf({}, ['--config', ttl]), `${ttl}: ttl: unknown key "access_token"`)
})

t.test('callbacks must be absolute URLs', async (t) => {
  const file = writeConfigFile(t, {
    clients: [{ ...spa, callbacks: ['http://localhost:3000/callback', '/callback'] }]
  })
  t.equal(configErrorOf({}, ['--config', file]), `${file}: clients[0].callbacks[1]: must be an absolute URL`)
  const logout = writeConfigFile(t, { clients: [{ ...spa, allowed_logout_urls: ['http://localhost:3000/ bye'] }] })
  t.equal(configErrorOf({}, ['--config', logout]), `${logout}: clients[0].allowed_logout_urls[0]: must be an absolute URL`)
  const fragment = writeConfigFile(t, { clients: [{ ...spa, callbacks: ['http://localhost:3000/#cb'] }] })
  t.equal(configErrorOf({}, ['--config', fragment]), `${fragment}: clients[0].callbacks[0]: must not contain a fragment (#)`)
})

t.test('web_origins must be bare origins', async (t) => {
  const file = writeConfigFile(t, { clients: [{ ...spa, web_origins: ['http://localhost:3000/app'] }] })
  t.equal(
    configErrorOf({}, ['--config', file]),
    `${file}: clients[0].web_origins[0]: must be an origin (scheme://host[:port], no path)`
  )
})

t.test('a bad signing_alg', async (t) => {
  const file = writeConfigFile(t, { resource_servers: [{ ...api, signing_alg: 'HS256' }] })
  t.equal(configErrorOf({}, ['--config', file]), `${file}: resource_servers[0].signing_alg: must be one of RS256, ES256`)
})

t.test('missing required keys and wrong types', async (t) => {
  const noId = writeConfigFile(t, { users: [{ email: 'a@example.test', password: 'x' }] })
  t.equal(configErrorOf({}, ['--config', noId]), `${noId}: users[0]: missing required key "user_id"`)
  const emptyId = writeConfigFile(t, { clients: [{ ...spa, client_id: '' }] })
  t.equal(configErrorOf({}, ['--config', emptyId]), `${emptyId}: clients[0].client_id: must be a non-empty string`)
  const wrongType = writeConfigFile(t, { clients: [{ ...spa, is_first_party: 'yes' }] })
  t.equal(configErrorOf({}, ['--config', wrongType]), `${wrongType}: clients[0].is_first_party: must be true or false`)
  const notList = writeConfigFile(t, { clients: {} })
  t.equal(configErrorOf({}, ['--config', notList]), `${notList}: clients: must be an array`)
  const zeroTtl = writeConfigFile(t, { ttl: { code: 0 } })
  t.equal(configErrorOf({}, ['--config', zeroTtl]), `${zeroTtl}: ttl.code: must be an integer between 1 and 60 (seconds)`)
    const longCode = writeConfigFile(t, { ttl: { code: 61 } })
    t.equal(configErrorOf({}, ['--config', longCode]), `${longCode}: ttl.code: must be an integer between 1 and 60 (seconds)`)
  const badEmail = writeConfigFile(t, { users: [{ user_id: 'auth0|x', email: 'nope', password: 'x' }] })
  t.equal(configErrorOf({}, ['--config', badEmail]), `${badEmail}: users[0].email: must be an email address`)
})

t.test('scope values are RFC 6749 scope tokens', async (t) => {
  const file = writeConfigFile(t, { resource_servers: [{ ...api, scopes: [{ value: 'read appointments' }] }] })
  t.equal(
    configErrorOf({}, ['--config', file]),
    `${file}: resource_servers[0].scopes[0].value: must be a scope token (printable ASCII without spaces, quotes or backslashes)`
  )
})

t.test('duplicate ids are errors', async (t) => {
  const clients = writeConfigFile(t, { clients: [spa, { ...spa, name: 'Again' }] })
  t.equal(configErrorOf({}, ['--config', clients]), `${clients}: clients[1].client_id: "organizer" is already used by clients[0]`)
  const apis = writeConfigFile(t, { resource_servers: [api, api] })
  t.equal(
    configErrorOf({}, ['--config', apis]),
    `${apis}: resource_servers[1].identifier: "appointments:api" is already used by resource_servers[0]`
  )
  const emails = writeConfigFile(t, {
    users: [
      { user_id: 'auth0|a', email: 'alice@example.test', password: 'x' },
      { user_id: 'auth0|b', email: 'Alice@Example.test', password: 'y' }
    ]
  })
  t.equal(configErrorOf({}, ['--config', emails]), `${emails}: users[1].email: "Alice@Example.test" is already used by users[0]`)
})

t.test('client_grants must reference what exists', async (t) => {
  const backend = { client_id: 'backend', name: 'Backend', app_type: 'non_interactive', client_secret: 's3cret' }
  const unknownApi = writeConfigFile(t, {
    clients: [backend],
    resource_servers: [api],
    client_grants: [{ client_id: 'backend', audience: 'billing:api', scope: [] }]
  })
  t.equal(
    configErrorOf({}, ['--config', unknownApi]),
    `${unknownApi}: client_grants[0].audience: no resource server "billing:api" in resource_servers`
  )
  const unknownClient = writeConfigFile(t, {
    resource_servers: [api],
    client_grants: [{ client_id: 'backend', audience: 'appointments:api' }]
  })
  t.equal(configErrorOf({}, ['--config', unknownClient]), `${unknownClient}: client_grants[0].client_id: no client "backend" in clients`)
  const unknownScope = writeConfigFile(t, {
    clients: [backend],
    resource_servers: [api],
    client_grants: [{ client_id: 'backend', audience: 'appointments:api', scope: ['read:appointments', 'write:appointments'] }]
  })
  t.equal(
    configErrorOf({}, ['--config', unknownScope]),
    `${unknownScope}: client_grants[0].scope[1]: "write:appointments" is not a scope of resource server "appointments:api"`
  )
})

t.test('client_credentials needs a confidential client', async (t) => {
  const publicCc = writeConfigFile(t, { clients: [{ ...spa, grant_types: ['client_credentials'] }] })
  t.equal(
    configErrorOf({}, ['--config', publicCc]),
    `${publicCc}: clients[0].grant_types: client_credentials needs a confidential client (token_endpoint_auth_method client_secret_post or client_secret_basic)`
  )
})

t.test("Auth0's defaults fill what the file leaves out", async (t) => {
  const file = writeConfigFile(t, {
    clients: [
      spa,
      { client_id: 'web', name: 'Web', app_type: 'regular_web', client_secret: 'shh' },
      { client_id: 'm2m', name: 'M2M', app_type: 'non_interactive', client_secret: 'shh', web_origins: ['HTTP://Example.test:80'] },
      { client_id: 'web-public', name: 'Public web', app_type: 'regular_web', token_endpoint_auth_method: 'none' }
    ],
    resource_servers: [{ identifier: 'appointments:api', scopes: [{ value: 'read:appointments' }] }],
    users: [{ user_id: 'auth0|alice', username: 'alice', password: 'wonderland' }],
    client_grants: [{ client_id: 'm2m', audience: 'appointments:api' }]
  })
  const { tenant } = loadConfig({}, ['--config', file])
  t.same(tenant.clients[0], {
    ...spa,
    app_type: 'spa',
    allowed_logout_urls: [],
    web_origins: [],
    grant_types: ['implicit', 'authorization_code', 'refresh_token'],
    is_first_party: true,
    token_endpoint_auth_method: 'none',
    refresh_token: { rotation_type: 'non-rotating' }
  })
  t.match(tenant.clients[1], {
    callbacks: [],
    grant_types: ['implicit', 'authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
    client_secret: 'shh'
  })
  t.match(tenant.clients[2], {
    grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_post',
    web_origins: ['http://example.test']
  })
  t.same(tenant.clients[3]?.grant_types, ['implicit', 'authorization_code', 'refresh_token'])
  t.same(tenant.resource_servers[0], {
    identifier: 'appointments:api',
    name: 'appointments:api',
    scopes: [{ value: 'read:appointments', description: 'read:appointments' }],
    token_lifetime: 86400,
    token_lifetime_for_web: 7200,
    signing_alg: 'RS256',
    skip_consent_for_verifiable_first_party_clients: true,
    allow_offline_access: false,
    enforce_policies: false,
    token_dialect: 'access_token'
  })
  t.same(tenant.users, [{ user_id: 'auth0|alice', username: 'alice', password: 'wonderland' }])
  t.same(tenant.client_grants, [{ client_id: 'm2m', audience: 'appointments:api', scope: [] }])
})

t.test('keys_dir in a file is relative to that file', async (t) => {
  const file = writeConfigFile(t, { keys_dir: './keys' })
  t.equal(loadConfig({}, ['--config', file]).keysDir, path.join(path.dirname(file), 'keys'))
  t.equal(loadConfig({}, ['--config', file, '--keys-dir', 'elsewhere']).keysDir, 'elsewhere')
})

t.test('the example from the docs loads', async (t) => {
  const file = writeConfigFile(t, {
    clients: [
      {
        client_id: 'organizer',
        name: 'Organizer',
        app_type: 'spa',
        callbacks: ['http://localhost:3000/callback'],
        allowed_logout_urls: [],
        web_origins: [],
        grant_types: ['implicit'],
        is_first_party: false,
        token_endpoint_auth_method: 'none',
        refresh_token: { rotation_type: 'rotating' }
      },
      { client_id: 'backend', name: 'Backend', app_type: 'non_interactive', client_secret: 'shh' }
    ],
    resource_servers: [
      {
        identifier: 'appointments:api',
        name: 'Appointments API',
        scopes: [{ value: 'read:appointments', description: 'Read your appointments' }],
        token_lifetime: 86400,
        token_lifetime_for_web: 7200,
        signing_alg: 'RS256',
        skip_consent_for_verifiable_first_party_clients: true,
        allow_offline_access: false
      }
    ],
    users: [
      {
        user_id: 'auth0|alice',
        email: 'alice@example.com',
        username: 'alice',
        password: 'wonderland',
        name: 'Alice Liddell',
        email_verified: true
      }
    ],
    client_grants: [{ client_id: 'backend', audience: 'appointments:api', scope: ['read:appointments'] }],
    issuer: 'http://127.0.0.1:4000',
    port: 4000,
    host: '127.0.0.1',
    keys_dir: '/tmp/gatehouse-keys',
    ttl: { interaction: 600, session: 259200, code: 60, id_token: 36000, refresh_token: 2592000 },
    log_level: 'info'
  })
  const config = loadConfig({}, ['--config', file])
  t.equal(config.issuer, 'http://127.0.0.1:4000/')
  t.equal(config.keysDir, '/tmp/gatehouse-keys')
  t.equal(config.tenant.clients.length, 2)
  t.equal(config.demo, false)
})
