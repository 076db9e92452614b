// The start banner: the addresses to use, the store, and for the demo tenant how to sign in.
import t from 'tap'
import { buildBanner, describeStore } from '../../src/cli/banner.js'
import { loadConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/types.js'
import { testConfig } from '../helpers/tenant.js'

const fixedId = () => 'fixed'

t.test('the demo tenant: addresses, pages, store, users and a sign-in that ends on the playground', async (t) => {
  const config = loadConfig({}, ['--port', '4100'])
  const pages = { home: config.issuer, playground: `${config.issuer}playground` }
  t.equal(
    buildBanner(config, pages, fixedId),
    [
      '',
      '  Gatehouse is serving the built-in demo tenant (use --config FILE for your own).',
      '',
      '  Issuer      http://localhost:4100/',
      '  Discovery   http://localhost:4100/.well-known/openid-configuration',
      '  Home        http://localhost:4100/',
      '  Playground  http://localhost:4100/playground',
      '  Store       memory: (nothing is kept when Gatehouse stops)',
      '',
      '  Users       alice / wonderland',
      '              bob / builder',
      '',
      '  Sign in and see the tokens, decoded and verified:',
      '  http://localhost:4100/playground?flow=implicit-id-token-token&run=1',
      '',
      '',
    ].join('\n'),
  )
})

t.test('the demo tenant without the pages: an authorize link to the demo SPA', async (t) => {
  const config = loadConfig({}, ['--port', '4100'])
  t.equal(
    buildBanner(config, {}, fixedId),
    [
      '',
      '  Gatehouse is serving the built-in demo tenant (use --config FILE for your own).',
      '',
      '  Issuer      http://localhost:4100/',
      '  Discovery   http://localhost:4100/.well-known/openid-configuration',
      '  Store       memory: (nothing is kept when Gatehouse stops)',
      '',
      '  Users       alice / wonderland',
      '              bob / builder',
      '',
      '  Sign in to the demo SPA; the tokens come back to http://localhost:3000/callback:',
      '  http://localhost:4100/authorize?client_id=gatehouse-demo-spa&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcallback' +
        '&response_type=token%20id_token&scope=openid%20profile%20email%20read%3Aitems&audience=demo%3Aapi&nonce=fixed&state=fixed',
      '',
      '',
    ].join('\n'),
  )
})

t.test('a config file: the tenant in numbers, no users, and the pages this build serves', async (t) => {
  const base = testConfig({ issuer: 'http://auth.example.test/tenant/' })
  const tenant = { ...base.tenant, clients: base.tenant.clients.slice(0, 1), resource_servers: [], users: base.tenant.users.slice(0, 2) }
  const config: Config = { ...base, tenant, configFile: 'ci/gatehouse.json' }
  const banner = buildBanner(config, { home: config.issuer, playground: `${config.issuer}playground` }, fixedId)
  t.equal(
    banner,
    [
      '',
      '  Gatehouse is serving the tenant in ci/gatehouse.json (1 client, 0 APIs, 2 users).',
      '',
      '  Issuer      http://auth.example.test/tenant/',
      '  Discovery   http://auth.example.test/tenant/.well-known/openid-configuration',
      '  Home        http://auth.example.test/tenant/',
      '  Playground  http://auth.example.test/tenant/playground',
      '  Store       memory: (nothing is kept when Gatehouse stops)',
      '',
      '',
    ].join('\n'),
  )
  for (const user of config.tenant.users) t.notMatch(banner, user.password, 'no password')
})

t.test('a store URL is shown without its password', async (t) => {
  t.equal(describeStore('memory:'), 'memory: (nothing is kept when Gatehouse stops)')
  t.equal(describeStore('sqlite:./data/gatehouse.db'), 'sqlite:./data/gatehouse.db (kept across restarts; signing keys too)')
  t.equal(
    describeStore('postgres://gatehouse:s3cret@db:5432/gatehouse'),
    'postgres://gatehouse:***@db:5432/gatehouse (shared by every replica; signing keys too)',
  )
  t.equal(describeStore('postgres://gatehouse@db/gatehouse'), 'postgres://gatehouse@db/gatehouse (shared by every replica; signing keys too)')
  t.equal(describeStore('postgres://u:p@ss@[db/x'), 'postgres:… (shared by every replica; signing keys too)', 'unparsable: the scheme only')
})
