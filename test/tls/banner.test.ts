// The start banner under TLS: where the development CA is, and how clients come to trust it.
import { join } from 'node:path'
import t from 'tap'
import { buildBanner } from '../../src/cli/banner.js'
import { loadConfig } from '../../src/config/load.js'

const fixedId = () => 'fixed'

t.test('the development CA: its path, NODE_EXTRA_CA_CERTS for Node clients, and a line for browsers', async (t) => {
  const dir = t.testdir({ 'gatehouse.json': '{}' })
  const keysDir = join(dir, 'keys')
  const config = loadConfig({}, ['--tls', '--port', '4100', '--keys-dir', keysDir, '--config', join(dir, 'gatehouse.json')])
  const ca = join(keysDir, 'tls', 'ca.pem')
  t.equal(
    buildBanner(config, {}, fixedId),
    [
      '',
      `  Gatehouse is serving the tenant in ${config.configFile} (0 clients, 0 APIs, 0 users).`,
      '',
      '  Issuer      https://localhost:4100/',
      '  Discovery   https://localhost:4100/.well-known/openid-configuration',
      '  Store       memory: (nothing is kept when Gatehouse stops)',
      `  TLS CA      ${ca} (made by Gatehouse; clients must trust it)`,
      '',
      '  Node clients trust it when started with:',
      `  NODE_EXTRA_CA_CERTS=${ca}`,
      '  Browsers: import ca.pem as a trusted authority, or use a throw-away Chromium with --ignore-certificate-errors',
      '',
      '',
    ].join('\n'),
  )
})

t.test('a relative keys directory is shown absolute: the variable must work from anywhere', async (t) => {
  const config = loadConfig({}, ['--tls', '--keys-dir', 'keys'])
  t.match(buildBanner(config, {}, fixedId), `\n  NODE_EXTRA_CA_CERTS=${join(process.cwd(), 'keys', 'tls', 'ca.pem')}\n`)
})

t.test('the demo tenant: the CA lines come before the users and the sign-in link', async (t) => {
  const config = loadConfig({}, ['--tls', '--port', '4100', '--keys-dir', '/srv/keys'])
  const banner = buildBanner(config, { playground: 'https://localhost:4100/playground' }, fixedId)
  t.match(banner, '\n  NODE_EXTRA_CA_CERTS=/srv/keys/tls/ca.pem\n  Browsers: ')
  t.match(banner, '--ignore-certificate-errors\n\n  Users       alice / wonderland\n')
  t.match(banner, '\n  https://localhost:4100/playground?flow=implicit-id-token-token&run=1\n')
})

t.test('your own certificate: named, and no CA lines', async (t) => {
  const config = loadConfig({}, ['--tls-cert', '/etc/ssl/gatehouse.pem', '--tls-key', '/etc/ssl/gatehouse-key.pem', '--port', '4100'])
  const banner = buildBanner(config, {}, fixedId)
  t.match(banner, '\n  Store       memory: (nothing is kept when Gatehouse stops)\n  TLS         /etc/ssl/gatehouse.pem (your certificate)\n\n')
  t.notMatch(banner, 'ca.pem')
  t.notMatch(banner, 'NODE_EXTRA_CA_CERTS')
  t.notMatch(banner, 'Browsers')
})

t.test('plain HTTP: nothing about TLS', async (t) => {
  const banner = buildBanner(loadConfig({}, ['--port', '4100']), {}, fixedId)
  t.notMatch(banner, 'TLS')
  t.notMatch(banner, 'NODE_EXTRA_CA_CERTS')
})
