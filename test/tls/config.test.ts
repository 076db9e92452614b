// --tls, --tls-cert and --tls-key: from flags, the environment or the config file, and the https issuer they bring.
import path from 'node:path'
import t from 'tap'
import { loadConfig, USAGE } from '../../src/config/load.js'
import { configErrorOf, writeConfigFile } from '../helpers/config.js'

t.test('TLS is off unless asked for', async (t) => {
  const config = loadConfig({}, [])
  t.equal(config.tls, undefined)
  t.notOk('tls' in config)
  t.equal(config.issuer, 'http://localhost:4000/')
})

t.test('--tls, GATEHOUSE_TLS=1 or true, or `tls: true`: the development CA, and an https issuer by default', async (t) => {
  const file = writeConfigFile(t, { tls: true, port: 5000 })
  for (const [env, argv, issuer] of [
    [{}, ['--tls'], 'https://localhost:4000/'],
    [{ GATEHOUSE_TLS: '1' }, [], 'https://localhost:4000/'],
    [{ GATEHOUSE_TLS: 'true' }, ['--port', '4443'], 'https://localhost:4443/'],
    [{ GATEHOUSE_TLS: 'TRUE' }, [], 'https://localhost:4000/'],
    [{}, ['--config', file], 'https://localhost:5000/'],
  ] as const) {
    const config = loadConfig(env, [...argv])
    t.same(config.tls, { kind: 'development-ca' }, JSON.stringify({ env, argv }))
    t.equal(config.issuer, issuer)
  }
})

t.test('GATEHOUSE_TLS=0 or false turns off what the file turned on; empty counts as unset', async (t) => {
  const file = writeConfigFile(t, { tls: true })
  t.equal(loadConfig({ GATEHOUSE_TLS: '0' }, ['--config', file]).tls, undefined)
  t.equal(loadConfig({ GATEHOUSE_TLS: 'false' }, ['--config', file]).tls, undefined)
  t.same(loadConfig({ GATEHOUSE_TLS: '' }, ['--config', file]).tls, { kind: 'development-ca' })
  t.same(loadConfig({ GATEHOUSE_TLS: '0' }, ['--tls']).tls, { kind: 'development-ca' }, 'the flag wins')
  t.equal(loadConfig({}, ['--config', writeConfigFile(t, { tls: false }, 'off.json')]).tls, undefined)
})

t.test('an explicit issuer is kept; it must be https under TLS', async (t) => {
  t.equal(loadConfig({}, ['--tls', '--issuer', 'https://auth.example.test']).issuer, 'https://auth.example.test/')
  t.equal(configErrorOf({}, ['--tls', '--issuer', 'http://auth.example.test/']), '--issuer: must be an https URL when TLS is on')
  t.equal(configErrorOf({ GATEHOUSE_ISSUER: 'http://localhost:4000/' }, ['--tls']), 'GATEHOUSE_ISSUER: must be an https URL when TLS is on')
  const file = writeConfigFile(t, { issuer: 'http://localhost:4000/', tls: true })
  t.equal(configErrorOf({}, ['--config', file]), `${file}: issuer: must be an https URL when TLS is on`)
})

t.test('--tls-cert and --tls-key (or their variables): your own certificate, which implies TLS', async (t) => {
  const own = { kind: 'own-certificate', certFile: 'certs/cert.pem', keyFile: 'certs/key.pem' }
  t.same(loadConfig({}, ['--tls-cert', 'certs/cert.pem', '--tls-key', 'certs/key.pem']).tls, own)
  t.same(loadConfig({ GATEHOUSE_TLS_CERT: 'certs/cert.pem', GATEHOUSE_TLS_KEY: 'certs/key.pem' }, []).tls, own)
  t.same(loadConfig({ GATEHOUSE_TLS_CERT: 'certs/cert.pem' }, ['--tls-key', 'certs/key.pem']).tls, own, 'from both places')
  t.same(loadConfig({}, ['--tls', '--tls-cert', 'certs/cert.pem', '--tls-key', 'certs/key.pem']).tls, own, '--tls too changes nothing')
  t.equal(loadConfig({}, ['--tls-cert', 'c.pem', '--tls-key', 'k.pem']).issuer, 'https://localhost:4000/')
})

t.test('tls_cert and tls_key in a config file are relative to that file', async (t) => {
  const file = writeConfigFile(t, { tls_cert: 'certs/cert.pem', tls_key: '/etc/ssl/key.pem' })
  t.same(loadConfig({}, ['--config', file]).tls, {
    kind: 'own-certificate',
    certFile: path.join(path.dirname(file), 'certs/cert.pem'),
    keyFile: '/etc/ssl/key.pem',
  })
  t.same(
    loadConfig({}, ['--config', file, '--tls-cert', 'flag.pem', '--tls-key', 'flag-key.pem']).tls,
    { kind: 'own-certificate', certFile: 'flag.pem', keyFile: 'flag-key.pem' },
    'flags win',
  )
})

t.test('a certificate without its key, or the other way round: one line, naming both', async (t) => {
  t.equal(configErrorOf({}, ['--tls-cert', 'cert.pem']), '--tls-cert: needs --tls-key as well (both or neither)')
  t.equal(configErrorOf({}, ['--tls', '--tls-key', 'key.pem']), '--tls-key: needs --tls-cert as well (both or neither)')
  t.equal(configErrorOf({ GATEHOUSE_TLS_CERT: 'cert.pem' }, []), 'GATEHOUSE_TLS_CERT: needs GATEHOUSE_TLS_KEY as well (both or neither)')
  t.equal(configErrorOf({ GATEHOUSE_TLS_KEY: 'key.pem' }, []), 'GATEHOUSE_TLS_KEY: needs GATEHOUSE_TLS_CERT as well (both or neither)')
  const file = writeConfigFile(t, { tls_key: 'key.pem' })
  t.equal(configErrorOf({}, ['--config', file]), `${file}: tls_key: needs tls_cert as well (both or neither)`)
  t.equal(configErrorOf({}, ['--tls-cert', '']), '--tls-cert: must not be empty')
})

t.test('TLS turned off where a certificate is named is a mistake; off in a place that loses to the certificate, not', async (t) => {
  const own = { kind: 'own-certificate', certFile: 'c.pem', keyFile: 'k.pem' }
  t.equal(
    configErrorOf({ GATEHOUSE_TLS: '0', GATEHOUSE_TLS_CERT: 'c.pem', GATEHOUSE_TLS_KEY: 'k.pem' }, []),
    'GATEHOUSE_TLS: turns TLS off, but GATEHOUSE_TLS_CERT names a certificate to serve',
  )
  t.same(loadConfig({ GATEHOUSE_TLS: '0' }, ['--tls-cert', 'c.pem', '--tls-key', 'k.pem']).tls, own, 'flags win over the environment')
  const off = writeConfigFile(t, { tls: false, tls_cert: 'c.pem', tls_key: 'k.pem' })
  t.equal(configErrorOf({}, ['--config', off]), `${off}: tls: turns TLS off, but ${off}: tls_cert names a certificate to serve`)
  const offOnly = writeConfigFile(t, { tls: false }, 'off.json')
  t.same(loadConfig({ GATEHOUSE_TLS_CERT: 'c.pem', GATEHOUSE_TLS_KEY: 'k.pem' }, ['--config', offOnly]).tls, own, 'the environment wins over the file')
})

t.test('other mistakes', async (t) => {
  t.equal(configErrorOf({ GATEHOUSE_TLS: 'yes' }, []), 'GATEHOUSE_TLS: must be 1 or 0 (true or false)')
  t.equal(configErrorOf({}, ['--tls=1']), '--tls: does not take a value')
  t.equal(configErrorOf({}, ['--tls-cert']), '--tls-cert: needs a value')
  t.equal(configErrorOf({}, ['--config', writeConfigFile(t, { tls: 'yes' })]), `${path.join(t.testdirName, 'gatehouse.json')}: tls: must be true or false`)
  t.equal(configErrorOf({}, ['--config', writeConfigFile(t, { tls_crt: 'x' }, 'typo.json')]), `${path.join(t.testdirName, 'typo.json')}: unknown key "tls_crt"; did you mean "tls_cert"?`)
})

t.test('--help lists the flags with their variables', async (t) => {
  t.match(USAGE, /\n {6}--tls {13}serve HTTPS, with a development CA {2}\[GATEHOUSE_TLS=1\]\n {24}made and kept in <keys-dir>\/tls\/ \(trust its ca\.pem\)\n/)
  t.match(USAGE, /\n {6}--tls-cert FILE {3}serve HTTPS with your own +\[GATEHOUSE_TLS_CERT\]\n/)
  t.match(USAGE, /\n {6}--tls-key FILE {4}its private key \(PEM\); give both +\[GATEHOUSE_TLS_KEY\]\n/)
  t.match(USAGE, /default http:\/\/localhost:<port>\/, https:\/\/ with TLS\n/)
})
