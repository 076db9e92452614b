// attack_protection in the config file: Auth0's names, checked at start, absent means Auth0's defaults.
import t from 'tap'
import { loadConfig } from '../../src/config/load.js'
import { configErrorOf, writeConfigFile } from '../helpers/config.js'

t.test('brute_force_protection settings are read as written', async (t) => {
  const file = writeConfigFile(t, { attack_protection: { brute_force_protection: { enabled: false, max_attempts: 3 } } })
  t.strictSame(loadConfig({}, ['--config', file]).attackProtection, { brute_force_protection: { enabled: false, max_attempts: 3 } })
})

t.test('left out: no setting, so the defaults apply (on, 10 attempts)', async (t) => {
  t.equal(loadConfig({}, ['--config', writeConfigFile(t, {})]).attackProtection, undefined)
  t.equal(loadConfig({}, []).attackProtection, undefined, 'the demo tenant too')
})

t.test('bad values name the key', async (t) => {
  for (const [value, message] of [
    [{ max_attempts: 0 }, 'attack_protection.brute_force_protection.max_attempts: must be an integer between 1 and 100'],
    [{ max_attempts: 101 }, 'attack_protection.brute_force_protection.max_attempts: must be an integer between 1 and 100'],
    [{ max_attempts: 2.5 }, 'attack_protection.brute_force_protection.max_attempts: must be an integer between 1 and 100'],
    [{ enabled: 'yes' }, 'attack_protection.brute_force_protection.enabled: must be true or false'],
  ] as const) {
    const file = writeConfigFile(t, { attack_protection: { brute_force_protection: value } })
    t.equal(configErrorOf({}, ['--config', file]), `${file}: ${message}`, JSON.stringify(value))
  }
  const unknown = writeConfigFile(t, { attack_protection: { brute_force_protection: { shields: ['block'] } } })
  t.match(configErrorOf({}, ['--config', unknown]), `${unknown}: attack_protection.brute_force_protection: unknown key "shields"`)
})
