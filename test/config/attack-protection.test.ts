// attack_protection in the config file: Auth0's names, checked at start, absent means Auth0's defaults.
import path from 'node:path'
import t, { type Test } from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load.js'

function configFile(t: Test, content: unknown): string {
  const dir = t.testdir({ 'gatehouse.json': JSON.stringify(content) })
  return path.join(dir, 'gatehouse.json')
}

function loadError(file: string): string {
  try {
    loadConfig({}, ['--config', file])
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  throw new Error('expected a ConfigError')
}

t.test('brute_force_protection settings are read as written', async (t) => {
  const file = configFile(t, { attack_protection: { brute_force_protection: { enabled: false, max_attempts: 3 } } })
  t.strictSame(loadConfig({}, ['--config', file]).attackProtection, { brute_force_protection: { enabled: false, max_attempts: 3 } })
})

t.test('left out: no setting, so the defaults apply (on, 10 attempts)', async (t) => {
  t.equal(loadConfig({}, ['--config', configFile(t, {})]).attackProtection, undefined)
  t.equal(loadConfig({}, []).attackProtection, undefined, 'the demo tenant too')
})

t.test('bad values name the key', async (t) => {
  for (const [value, message] of [
    [{ max_attempts: 0 }, 'attack_protection.brute_force_protection.max_attempts: must be an integer between 1 and 100'],
    [{ max_attempts: 101 }, 'attack_protection.brute_force_protection.max_attempts: must be an integer between 1 and 100'],
    [{ max_attempts: 2.5 }, 'attack_protection.brute_force_protection.max_attempts: must be an integer between 1 and 100'],
    [{ enabled: 'yes' }, 'attack_protection.brute_force_protection.enabled: must be true or false'],
  ] as const) {
    const file = configFile(t, { attack_protection: { brute_force_protection: value } })
    t.equal(loadError(file), `${file}: ${message}`, JSON.stringify(value))
  }
  const unknown = configFile(t, { attack_protection: { brute_force_protection: { shields: ['block'] } } })
  t.match(loadError(unknown), `${unknown}: attack_protection.brute_force_protection: unknown key "shields"`)
})
