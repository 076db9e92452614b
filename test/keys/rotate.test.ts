// Rotation through the keystore: the key rings, the JWKS, who signs and what verifies, certificates,
// and what is forgotten.
import { X509Certificate } from 'node:crypto'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose'
import t, { type Test } from 'tap'
import { keyFiles, KEPT_STATES } from '../../src/keys/key-storage.js'
import type { Keystore } from '../../src/keys/keystore.js'
import { KEPT_REVOKED } from '../../src/keys/rotation.js'
import { createMinter } from '../../src/tokens/mint.js'
import { createKeystoreWithMadeKeys } from '../helpers/made-keys.js'

const ISSUER = 'https://gatehouse.test/'
const clock = { now: () => 1_700_000_000_000 }

async function keystore(t: Test, dir = t.testdir()): Promise<Keystore> {
  const k = await createKeystoreWithMadeKeys({ dir, clock })
  t.teardown(() => k.close())
  await k.ready()
  return k
}

const kidsOf = (k: Keystore) => k.jwks().keys.map((jwk) => jwk.kid)

t.test('rings and JWKS follow rotation and revocation; the minter signs with the current key', async (t) => {
  const k = await keystore(t)
  let n = 0
  const minter = createMinter({ keystore: k, clock, newId: () => `id-${++n}`, issuer: ISSUER })
  const mint = async (alg: 'RS256' | 'ES256') => {
    const api = { identifier: 'urn:api', name: 'API', scopes: [], token_lifetime: 60, token_lifetime_for_web: 60, signing_alg: alg, skip_consent_for_verifiable_first_party_clients: false, allow_offline_access: false }
    return (await minter.accessToken({ sub: 's', clientId: 'c', api, scope: [], userinfo: false, lifetime: 60 })).token
  }
  const verify = (token: string) => jwtVerify(token, k.verifier, { issuer: ISSUER, currentDate: new Date(clock.now()) }).then(() => true, (err: { code: string }) => err.code)

  const first = { RS256: k.keyRing('RS256'), ES256: k.keyRing('ES256') }
  t.equal(first.RS256.previous, undefined, 'no previous key before a rotation')
  t.ok(first.RS256.next, 'a next key')
  t.strictSame(kidsOf(k), [first.RS256.current.kid, first.ES256.current.kid, first.RS256.next!.kid, first.ES256.next!.kid])
  const oldRs = await mint('RS256')
  const oldEs = await mint('ES256')
  t.equal(decodeProtectedHeader(oldRs).kid, first.RS256.current.kid)

  await k.rotate()
  const second = { RS256: k.keyRing('RS256'), ES256: k.keyRing('ES256') }
  t.equal(second.RS256.current, first.RS256.next, 'next became current')
  t.equal(second.RS256.previous, first.RS256.current, 'current became previous')
  t.equal(second.ES256.current, first.ES256.next)
  t.strictSame(kidsOf(k), [
    second.RS256.current.kid,
    second.ES256.current.kid,
    second.RS256.next!.kid,
    second.ES256.next!.kid,
    second.RS256.previous!.kid,
    second.ES256.previous!.kid,
  ])
  t.equal(decodeProtectedHeader(await mint('RS256')).kid, second.RS256.current.kid, 'a minter made before the rotation signs with the new key')
  t.equal(decodeProtectedHeader(await mint('ES256')).kid, second.ES256.current.kid)
  t.equal(await verify(oldRs), true, 'the previous key still verifies')
  t.equal(await verify(oldEs), true)

  // What the test controls do: sign with the previous key on purpose.
  const previous = second.RS256.previous!
  const byPrevious = await new SignJWT({}).setIssuer(ISSUER).setProtectedHeader({ alg: 'RS256', kid: previous.kid }).sign(previous.privateKey)
  t.equal(await verify(byPrevious), true)

  const jwksBefore = k.jwks()
  await k.revoke(previous.kid)
  t.not(k.jwks(), jwksBefore, 'a new key set object after a change')
  t.equal(k.keyRing('RS256').previous, undefined)
  t.strictSame(kidsOf(k), [second.RS256.current.kid, second.ES256.current.kid, second.RS256.next!.kid, second.ES256.next!.kid], 'both previous keys left')
  for (const token of [oldRs, oldEs, byPrevious]) t.equal(await verify(token), 'ERR_JWKS_NO_MATCHING_KEY', 'revoked: no longer verifies')
  await t.rejects(k.revoke(previous.kid), { name: 'KeyRotationError', code: 'already_revoked' })
  await t.rejects(k.revoke(k.keyRing('ES256').next!.kid), { code: 'not_revocable' })
})

t.test('certificates are made once, kept, and made for revoked keys too', async (t) => {
  const dir = t.testdir()
  const k = await keystore(t, dir)
  const es = k.keyRing('ES256').current.kid
  const first = await k.certificate(es, 'tenant.example')
  t.equal(await k.certificate(es, 'other.example'), first, 'the same certificate, whatever is asked later')
  t.equal(new X509Certificate(first).subject, 'CN=tenant.example')
  const again = await keystore(t, dir)
  t.equal(await again.certificate(es, 'tenant.example'), first, 'kept: an ECDSA signature is never made twice alike')

  await k.rotate()
  const rs = k.keyRing('RS256').previous!.kid
  await k.revoke(rs)
  const revokedCert = new X509Certificate(await k.certificate(rs, 'tenant.example'))
  t.ok(revokedCert.verify(revokedCert.publicKey), 'a revoked key’s certificate, made after its revocation')
  await t.rejects(k.certificate('no-such-kid', 'tenant.example'), { name: 'KeyRotationError', code: 'not_found' })
  t.match(new X509Certificate(await k.certificate(rs, 'x')).serialNumber, /^[4-7][0-9A-F]{31}$/, 'a positive 16-byte serial number')
})

t.test(`generations revoked long ago are forgotten, with their keys and certificates`, async (t) => {
  const dir = t.testdir()
  const k = await keystore(t, dir)
  const oldest = k.keyRing('RS256').current.kid
  await k.certificate(oldest, 'tenant.example')
  for (let i = 0; i < KEPT_REVOKED + 2; i++) await k.rotate()
  t.equal(k.generations().filter((g) => g.role === 'revoked').length, KEPT_REVOKED)
  t.notOk(k.generations().some((g) => g.kids.RS256 === oldest))
  const files = await readdir(dir)
  t.equal(files.filter((f) => f.endsWith('.private.jwk.json')).length, 2 * (3 + KEPT_REVOKED), 'only the keys of known generations')
  t.notOk(files.some((f) => f.includes(oldest)), 'the oldest key and its certificate are deleted')
})

t.test(`the keys directory keeps the last ${KEPT_STATES} versions of the state`, async (t) => {
  const dir = t.testdir()
  const storage = keyFiles(dir, { info() {}, warn() {} })
  for (const version of [1, 2, KEPT_STATES + 1]) await writeFile(join(dir, `signing-keys.${String(version).padStart(12, '0')}.json`), '{}')
  await storage.pruneStates(KEPT_STATES + 1)
  t.strictSame((await readdir(dir)).sort(), ['signing-keys.000000000002.json', `signing-keys.${String(KEPT_STATES + 1).padStart(12, '0')}.json`])
  t.equal((await storage.readLatestState())?.version, KEPT_STATES + 1)
})
