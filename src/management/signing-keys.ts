// Auth0's application signing keys (/api/v2/keys/signing): list, get, rotate, revoke, in Auth0's shapes.
// Auth0's tenant keys are RS256, so the listing shows each generation's RS256 key; the generation's
// ES256 key (for APIs with signing_alg ES256) rotates and is revoked with it, and its own kid can be
// read and revoked too. Certificates are made on first request. Private keys never leave the keystore.

import type { Config } from '../config/types.js'
import type { EventLog } from '../events/event-log.js'
import { KeyRotationError, type KeyGeneration, type Keystore } from '../keys/keystore.js'
import { generationOf } from '../keys/rotation.js'
import { ManagementError } from './errors.js'

export interface SigningKeysDeps {
  config: Pick<Config, 'issuer'>
  keystore: Keystore
  events: EventLog
}

/** A key as Auth0 lists it; dates are ISO strings. */
export interface SigningKeyView {
  kid: string
  cert: string
  pkcs7: string
  current: boolean
  next: boolean
  previous: boolean
  current_since?: string
  current_until?: string
  fingerprint: string
  thumbprint: string
  revoked: boolean
  revoked_at?: string
}

/** What rotate and revoke answer: the key's certificate and kid. */
export interface SigningKeyCertificate {
  cert: string
  kid: string
}

/** Rotation makes keys and changes every token's signer: Auth0 asks for both scopes. */
export const ROTATE_SCOPES = ['create:signing_keys', 'update:signing_keys'] as const

/** GET /keys/signing: current, next, previous, then the revoked keys. */
export async function listSigningKeys(deps: SigningKeysDeps): Promise<SigningKeyView[]> {
  await deps.keystore.refresh()
  await deps.keystore.ready()
  return Promise.all(deps.keystore.generations().map((g) => keyView(deps, g, g.kids.RS256)))
}

/** GET /keys/signing/{kid}: either algorithm's kid. */
export async function getSigningKey(deps: SigningKeysDeps, kid: string): Promise<SigningKeyView> {
  await deps.keystore.refresh()
  const generation = generationOf({ generations: deps.keystore.generations() }, kid)
  if (generation === undefined) throw signingKeyNotFound()
  return keyView(deps, generation, kid)
}

/** POST /keys/signing/rotate: the next key becomes current; answers with it (Auth0's "next key"). */
export async function rotateSigningKeys(deps: SigningKeysDeps): Promise<SigningKeyCertificate> {
  const current = await deps.keystore.rotate()
  const kid = current.kids.RS256
  return { cert: await certificate(deps, kid), kid }
}

/** PUT /keys/signing/{kid}/revoke: only the previous key (and its generation) can be; it leaves the JWKS at once. */
export async function revokeSigningKey(deps: SigningKeysDeps, kid: string): Promise<SigningKeyCertificate> {
  await asManagementErrors(() => deps.keystore.revoke(kid))
  return { cert: await certificate(deps, kid), kid }
}

async function keyView(deps: SigningKeysDeps, generation: KeyGeneration, kid: string): Promise<SigningKeyView> {
  const [cert, { pkcs7, fingerprint, thumbprint }] = await Promise.all([
    certificate(deps, kid),
    asManagementErrors(() => deps.keystore.certificateForms(kid, commonNameOf(deps))),
  ])
  // In Auth0's order of fields.
  return {
    kid,
    cert,
    pkcs7,
    current: generation.role === 'current',
    next: generation.role === 'next',
    previous: generation.role === 'previous',
    ...iso('current_since', generation.current_since),
    ...iso('current_until', generation.current_until),
    fingerprint,
    thumbprint,
    revoked: generation.role === 'revoked',
    ...iso('revoked_at', generation.revoked_at),
  }
}

const iso = <K extends string>(name: K, ms: number | undefined) =>
  (ms === undefined ? {} : { [name]: new Date(ms).toISOString() }) as Partial<Record<K, string>>

/** Certificates name the tenant as Auth0's do: CN=<the issuer's host>. */
const commonNameOf = (deps: SigningKeysDeps) => new URL(deps.config.issuer).host

const certificate = (deps: SigningKeysDeps, kid: string) => asManagementErrors(() => deps.keystore.certificate(kid, commonNameOf(deps)))

/** Runs a keystore call, answering its refusals as Auth0 does. */
async function asManagementErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (!(err instanceof KeyRotationError)) throw err
    if (err.code === 'not_found') throw signingKeyNotFound()
    throw new ManagementError(400, err.message)
  }
}

const signingKeyNotFound = () => new ManagementError(404, 'Signing key not found.')
