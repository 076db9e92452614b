// Signing keys for tests, from test/fixtures/rs256-keys.json. An RSA key costs 100–500 ms of CPU to
// make and a new keys directory needs two, so tests that are not about making keys draw on RSA 2048
// keys made beforehand (jose's generateKeyPair, exported as JWKs). Each is handed out once per test
// process; when the list runs out, and for P-256 keys (quick to make), keys are made as usual.
import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { JWK } from 'jose'
import type { Config, SigningAlg } from '../../src/config/types.js'
import { generateSigningKey, newSigningKey, type GeneratedKey, type KeyGenerator } from '../../src/keys/key-material.js'
import { createKeystore, type Keystore, type KeystoreOptions } from '../../src/keys/keystore.js'
import { buildServer, type ServerOverrides } from '../../src/server.js'
import { sharedKeysDir } from './tenant.js'

const RS256_KEYS = JSON.parse(readFileSync(new URL('../fixtures/rs256-keys.json', import.meta.url), 'utf8')) as JWK[]
let nextRs256 = 0

/** A KeyGenerator (createKeystore's and buildServer's generateKey) that hands out the keys above. */
export function madeKey(alg: SigningAlg): Promise<GeneratedKey> {
  const jwk = alg === 'RS256' ? RS256_KEYS[nextRs256++] : undefined
  return jwk === undefined ? generateSigningKey(alg) : newSigningKey(jwk, alg)
}

/**
 * Where a server on keysDir gets its new keys: madeKey, except on the keys directory that all test
 * processes share (sharedKeysDir). Processes that create that one at the same time would each hand
 * out the same first keys, so there keys are made as usual.
 */
const keySourceFor = (keysDir: string): KeyGenerator | undefined => (keysDir === sharedKeysDir() ? undefined : madeKey)

/** buildServer, with its new keys from keySourceFor(config.keysDir). */
export const buildServerWithMadeKeys = (config: Config, overrides: ServerOverrides = {}): Promise<FastifyInstance> =>
  buildServer(config, { generateKey: keySourceFor(config.keysDir), ...overrides })

/** createKeystore, with its new keys from madeKey unless opts name a generateKey of their own. */
export const createKeystoreWithMadeKeys = (opts: KeystoreOptions): Promise<Keystore> => createKeystore({ generateKey: madeKey, ...opts })
