// The built CLI checks config files with the validator compiled ahead of time (scripts/bundle-cli.mjs);
// it must find the same first problem, in the same words, as the one compiled at run time.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import t from 'tap'
import type { ValidateFunction } from 'ajv'
import { compileConfigValidator } from '../../src/config/compile-validator.js'
import { configFormats } from '../../src/config/formats.js'
import { configFileSchema } from '../../src/config/schema.js'
import { configValidatorCode } from '../../src/config/validator-code.js'

const require = createRequire(import.meta.url)

/** The standalone code as CommonJS, its require of formats.ts answered with the formats themselves. */
function loadPrecompiled(): ValidateFunction {
  const code = configValidatorCode({ esm: false, formatsModule: './formats.js' })
  const module = { exports: {} as unknown }
  const load = (id: string) => (id === './formats.js' ? { configFormats } : require(id))
  new Function('module', 'exports', 'require', code)(module, module.exports, load)
  return module.exports as ValidateFunction
}

const client = { client_id: 'app', name: 'App' }
const CONFIGS: Record<string, unknown> = {
  'the organizer example': JSON.parse(readFileSync(new URL('../../examples/organizer/gatehouse.json', import.meta.url), 'utf8')),
  'an empty file': {},
  'not an object': [],
  'an unknown top-level key': { clientz: [] },
  'an unknown client key': { clients: [{ ...client, redirect_uris: [] }] },
  'a missing required key': { clients: [{ client_id: 'app' }] },
  'a callback without its scheme': { clients: [{ ...client, callbacks: ['localhost:3000/cb'] }] },
  'a callback with a space': { clients: [{ ...client, callbacks: ['http://x.test/a b'] }] },
  'an origin with a path': { clients: [{ ...client, web_origins: ['http://localhost:3000/app'] }] },
  'a repeated grant type': { clients: [{ ...client, grant_types: ['implicit', 'implicit'] }] },
  'an unknown app type': { clients: [{ ...client, app_type: 'web' }] },
  'an empty name': { clients: [{ client_id: 'app', name: '' }] },
  'a bad email': { users: [{ user_id: 'auth0|a', email: 'not-an-email', password: 'x' }] },
  'a good email': { users: [{ user_id: 'auth0|a', email: 'a@example.test', password: 'x' }] },
  'a scope with a space': { resource_servers: [{ identifier: 'https://api.test/', scopes: [{ value: 'read items' }] }] },
  'an issuer with a query': { issuer: 'https://id.example.test/?x' },
  'a port out of range': { port: 70000 },
  'a port as text': { port: '4000' },
  'a bad log level': { log_level: 'loud' },
  'an Action with an unknown trigger': { actions: [{ name: 'a', trigger: 'pre-login', script: './a.js' }] },
  'an Action timeout too long': { actions: [{ name: 'a', trigger: 'post-login', script: './a.js', timeout_ms: 60_000 }] },
  'a refresh leeway too long': { clients: [{ ...client, refresh_token: { leeway: 7200 } }] },
  'a switch as text': { playground: 'no' },
}

t.test('the precompiled validator finds what the run-time one finds, error for error', async (t) => {
  const atRunTime = compileConfigValidator(configFileSchema)
  const precompiled = loadPrecompiled()
  const valid: string[] = []
  for (const [name, config] of Object.entries(CONFIGS)) {
    const answer = atRunTime(config)
    if (answer) valid.push(name)
    t.equal(precompiled(config), answer, `${name}: valid ${answer}`)
    t.same(precompiled.errors, atRunTime.errors, `${name}: the same errors`)
  }
  // the table holds both kinds: these three are valid, every other one fails somewhere
  t.same(valid, ['the organizer example', 'an empty file', 'a good email'])
})
