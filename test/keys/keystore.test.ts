import { createHash } from 'node:crypto'
import { chmod, mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { calculateJwkThumbprint, generateKeyPair, exportJWK } from 'jose'
import type { JWK } from 'jose'
import { createKeystore, KeystoreError } from '../../src/keys/keystore.js'
import type { KeystoreLog } from '../../src/keys/keystore.js'
import { toPublicJwk } from '../../src/keys/jwks.js'
import { unwritableDir } from '../helpers/fs.js'
import { createKeystoreWithMadeKeys, madeKey } from '../helpers/made-keys.js'

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']

function recordingLog(): KeystoreLog & { infos: string[]; warns: string[] } {
  const infos: string[] = []
  const warns: string[] = []
  return { infos, warns, info: (m) => void infos.push(m), warn: (m) => void warns.push(m) }
}

// RFC 7638 section 3.2: required members only, lexicographic order, no whitespace.
function thumbprint(jwk: JWK): string {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url')
}

const KEY_FILE = /^signing-key\.([A-Za-z0-9_-]{43})\.private\.jwk\.json$/
const keyFilesIn = async (dir: string) => (await readdir(dir)).filter((f) => KEY_FILE.test(f)).sort()
const keyFileOf = (kid: string) => `signing-key.${kid}.private.jwk.json`

t.test('generates the current keys on first start, the next ones just after, and reuses them all', async (t) => {
  const dir = join(t.testdir(), 'nested', 'keys') // also proves mkdir -p
  const firstLog = recordingLog()
  const first = await createKeystore({ dir, log: firstLog })
  const current = { RS256: first.signingKey('RS256').kid, ES256: first.signingKey('ES256').kid }
  for (const alg of ['RS256', 'ES256'] as const) {
    t.ok(firstLog.infos.includes(`generated ${alg} signing key in ${join(dir, keyFileOf(current[alg]))}`), `generation of ${alg} is logged with its path`)
  }
  await first.ready()
  const next = { RS256: first.keyRing('RS256').next!.kid, ES256: first.keyRing('ES256').next!.kid }
  t.match(firstLog.infos.at(-1), `generated the next signing keys (RS256 ${next.RS256}, ES256 ${next.ES256})`)

  const kids = [current.RS256, current.ES256, next.RS256, next.ES256]
  t.same(
    (await readdir(dir)).sort(),
    [...kids.map(keyFileOf), 'signing-keys.000000000001.json', 'signing-keys.000000000002.json'].sort(),
    'four keys and two versions of the rotation state; no temp files left',
  )
  for (const kid of kids) t.equal((await stat(join(dir, keyFileOf(kid)))).mode & 0o777, 0o600, `${kid} is 0600`)
  t.equal(firstLog.warns.length, 1, 'one development-keys warning')
  t.match(firstLog.warns[0], /development keys.*production/)

  const rsaFile = JSON.parse(await readFile(join(dir, keyFileOf(current.RS256)), 'utf8')) as JWK
  t.equal(rsaFile.kty, 'RSA')
  t.equal(rsaFile.alg, 'RS256')
  t.type(rsaFile.d, 'string', 'the file holds the private key')
  t.equal(Buffer.from(rsaFile.n as string, 'base64url').length * 8, 2048, 'RSA 2048')
  const ecFile = JSON.parse(await readFile(join(dir, keyFileOf(current.ES256)), 'utf8')) as JWK
  t.equal(ecFile.crv, 'P-256')

  const secondLog = recordingLog()
  const second = await createKeystore({ dir, log: secondLog })
  t.same(secondLog.infos, [], 'nothing generated on the second start')
  t.equal(secondLog.warns.length, 1)
  t.equal(second.signingKey('RS256').kid, current.RS256)
  t.equal(second.signingKey('ES256').kid, current.ES256)
  t.equal(second.keyRing('ES256').next?.kid, next.ES256)
  t.strictSame(second.jwks(), first.jwks())
  await Promise.all([first.close(), second.close()])
})

t.test('jwks publishes public members, kid, alg and use only', async (t) => {
  const keystore = await createKeystoreWithMadeKeys({ dir: t.testdir() })
  await keystore.ready()
  const { keys } = keystore.jwks()
  t.strictSame(
    keys.map((k) => k.kid),
    [keystore.keyRing('RS256').current.kid, keystore.keyRing('ES256').current.kid, keystore.keyRing('RS256').next!.kid, keystore.keyRing('ES256').next!.kid],
    'the current keys, then the next ones',
  )
  const [rsa, ec] = keys as [JWK, JWK]
  t.same(Object.keys(rsa).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use'])
  t.same(Object.keys(ec).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'])
  t.match(rsa, { kty: 'RSA', alg: 'RS256', use: 'sig', kid: keystore.signingKey('RS256').kid })
  t.match(ec, { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: keystore.signingKey('ES256').kid })
  for (const jwk of keys) {
    for (const member of PRIVATE_MEMBERS) t.notOk(member in jwk, `${jwk.alg} has no ${member}`)
    t.equal(jwk.kid, thumbprint(jwk), `${jwk.alg} kid is the RFC 7638 thumbprint`)
    t.equal(jwk.kid, await calculateJwkThumbprint(jwk))
  }
  t.equal(keystore.jwks(), keystore.jwks(), 'computed once')
  t.ok(Object.isFrozen(keystore.jwks().keys[0]), 'callers cannot alter the published set')
})

t.test('signingKey', async (t) => {
  const keystore = await createKeystoreWithMadeKeys({ dir: t.testdir() })
  t.equal(keystore.signingKey('RS256').alg, 'RS256')
  t.equal(keystore.signingKey('ES256').alg, 'ES256')
  t.equal(keystore.signingKey('RS256').privateKey.type, 'private')
  t.throws(() => keystore.signingKey('HS256' as never), /no signing key for alg HS256/)
})

t.test('a keys directory from before rotation: its keys become current, a missing one is generated', async (t) => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const legacy = { ...(await exportJWK(privateKey)), alg: 'RS256' }
  const dir = t.testdir({ 'rs256.private.jwk.json': JSON.stringify(legacy) })
  const log = recordingLog()
  const keystore = await createKeystoreWithMadeKeys({ dir, log })
  t.equal(keystore.signingKey('RS256').kid, await calculateJwkThumbprint(legacy), 'the old RS256 key signs')
  t.equal(log.infos.length, 2)
  t.match(log.infos[0], new RegExp(`^the RS256 key of signing key file ${escape(join(dir, 'rs256.private.jwk.json'))} is the current RS256 signing key`))
  t.match(log.infos[1], /^generated ES256 signing key in .*signing-key\..*\.private\.jwk\.json$/)
  t.equal(await readFile(join(dir, 'rs256.private.jwk.json'), 'utf8'), JSON.stringify(legacy), 'the old file is left as it was')
  await keystore.close()
})

t.test('warns when an existing key file is readable by others', { skip: process.platform === 'win32' }, async (t) => {
  const dir = t.testdir()
  const first = await createKeystoreWithMadeKeys({ dir })
  await first.ready()
  const file = keyFileOf(first.signingKey('RS256').kid)
  await chmod(join(dir, file), 0o644)
  const log = recordingLog()
  await createKeystoreWithMadeKeys({ dir, log })
  t.equal(log.warns.length, 2)
  t.ok(log.warns.some((m) => m.includes(file) && m.includes('chmod 600')))
})

t.test('a bad key file is an error that names the file and the problem', async (t) => {
  const validRsa = async (): Promise<JWK> => ({ ...(await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)), alg: 'RS256' })
  const otherRsa = await validRsa()
  const cases: [name: string, file: string, content: () => Promise<string> | string, problem: RegExp][] = [
    ['not JSON', 'rs256.private.jwk.json', () => '{"kty": "RSA",', /is not valid JSON/],
    ['empty', 'es256.private.jwk.json', () => '', /is not valid JSON/],
    ['not an object', 'rs256.private.jwk.json', () => '[]', /does not hold a JSON object/],
    ['wrong key type', 'rs256.private.jwk.json', () => JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' }), /must hold a RSA key for RS256, found kty "EC"/],
    ['wrong curve', 'es256.private.jwk.json', () => JSON.stringify({ kty: 'EC', crv: 'P-384', x: 'a', y: 'b', d: 'c' }), /must hold a P-256 key for ES256/],
    ['wrong alg', 'rs256.private.jwk.json', async () => JSON.stringify({ ...(await validRsa()), alg: 'PS256' }), /is marked for alg "PS256", expected RS256/],
    ['public key only', 'rs256.private.jwk.json', async () => JSON.stringify({ ...otherRsa, d: undefined, p: undefined }), /missing private JWK member\(s\) d, p/],
    ['garbage members', 'es256.private.jwk.json', () => JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA', d: 'AAAA' }), /is not a usable ES256 private key/],
    ['members of two keys', 'rs256.private.jwk.json', async () => JSON.stringify({ ...(await validRsa()), n: otherRsa.n }), /is not a usable RS256 private key/],
  ]
  for (const [name, file, content, problem] of cases) {
    t.test(name, async (t) => {
      const text = await content()
      const dir = t.testdir({ [file]: text })
      await t.rejects(createKeystoreWithMadeKeys({ dir }), { message: problem })
      await t.rejects(createKeystoreWithMadeKeys({ dir }), {
        message: new RegExp(`^signing key file ${escape(join(dir, file))} .*delete it to generate a new key`),
      })
      t.equal(await readFile(join(dir, file), 'utf8'), text, 'the bad file is never overwritten')
      t.notOk((await readdir(dir)).some((f) => f.endsWith('.tmp')), 'no temp files left')
      t.notOk((await readdir(dir)).some((f) => f.startsWith('signing-keys.')), 'no rotation state was written')
    })
  }

  t.test('unreadable', async (t) => {
    const dir = t.testdir()
    await mkdir(join(dir, 'rs256.private.jwk.json')) // reading a directory fails even as root
    await t.rejects(createKeystoreWithMadeKeys({ dir }), { message: /signing key file .*rs256\.private\.jwk\.json cannot be read \(EISDIR/ })
  })
})

t.test('a rotation state that cannot be used is an error naming it; nothing is replaced', async (t) => {
  const remedy = 'restore it, or delete every signing key and state to start over with new keys'
  t.test('not JSON', async (t) => {
    const dir = t.testdir({ 'signing-keys.000000000001.json': '{' })
    await t.rejects(createKeystoreWithMadeKeys({ dir }), {
      name: 'KeystoreError',
      message: new RegExp(`^signing key state file ${escape(join(dir, 'signing-keys.000000000001.json'))} is not valid JSON .*; ${remedy}$`),
    })
  })
  t.test('breaks a rule of rotation', async (t) => {
    const state = { version: 1, generations: [] }
    const dir = t.testdir({ 'signing-keys.000000000001.json': JSON.stringify(state) })
    await t.rejects(createKeystoreWithMadeKeys({ dir }), { message: `signing key state file ${join(dir, 'signing-keys.000000000001.json')} has 0 current generations; ${remedy}` })
  })
  t.test('a version other than its name says', async (t) => {
    const dir = t.testdir()
    const keystore = await createKeystoreWithMadeKeys({ dir })
    await keystore.close()
    const text = await readFile(join(dir, 'signing-keys.000000000002.json'), 'utf8')
    await writeFile(join(dir, 'signing-keys.000000000007.json'), text)
    await t.rejects(createKeystoreWithMadeKeys({ dir }), { message: `signing key state file ${join(dir, 'signing-keys.000000000007.json')} holds version 2; ${remedy}` })
  })
  t.test('a key it names is missing or broken', async (t) => {
    const dir = t.testdir()
    const keystore = await createKeystoreWithMadeKeys({ dir })
    await keystore.close()
    const kid = keystore.keyRing('ES256').next!.kid
    const file = join(dir, keyFileOf(kid))
    await unlink(file)
    const keyRemedy = 'the rotation state names it: restore it, or delete every signing key and state to start over with new keys'
    await t.rejects(createKeystoreWithMadeKeys({ dir }), { name: 'KeystoreError', message: `signing key file ${file} is missing; ${keyRemedy} (tokens signed with the old ones will stop verifying)` })
    await writeFile(file, '[]', { mode: 0o600 })
    await t.rejects(createKeystoreWithMadeKeys({ dir }), { message: `signing key file ${file} does not hold a JSON object (a private JWK); ${keyRemedy} (tokens signed with the old ones will stop verifying)` })
    t.equal(await readFile(file, 'utf8'), '[]', 'never overwritten')
  })
})

t.test('instances starting together on one new directory all sign with the same keys', async (t) => {
  const dir = join(t.testdir(), 'keys')
  const logs = Array.from({ length: 6 }, () => recordingLog())
  const keystores = await Promise.all(logs.map((log) => createKeystoreWithMadeKeys({ dir, log })))
  await Promise.all(keystores.map((k) => k.ready()))

  const [first, ...others] = keystores.map((k) => k.jwks())
  t.equal(first!.keys.length, 4, 'current and next keys')
  for (const [i, jwks] of others.entries()) t.strictSame(jwks, first, `instance ${i + 2} publishes the first instance's keys`)
  const onDisk = await keyFilesIn(dir)
  t.equal(onDisk.length, 4, 'the keys that lost are deleted')
  t.notOk((await readdir(dir)).some((f) => f.endsWith('.tmp')), 'no temp files left')
  for (const jwk of first!.keys) {
    const stored = JSON.parse(await readFile(join(dir, keyFileOf(jwk.kid!)), 'utf8')) as JWK
    t.strictSame(toPublicJwk(stored, jwk.alg as 'RS256' | 'ES256', jwk.kid!), jwk, `${jwk.alg} ${jwk.kid} on disk is the published key`)
  }
  for (const alg of ['RS256', 'ES256'] as const) {
    for (const keystore of keystores) t.equal(keystore.signingKey(alg).kid, keystores[0]!.signingKey(alg).kid, `every instance signs ${alg} with one key`)
    const generated = logs.flatMap((log) => log.infos).filter((m) => m.startsWith(`generated ${alg} `))
    t.equal(generated.length, 1, `${alg} is reported as generated once`)
  }
  t.equal(logs.flatMap((log) => log.infos).filter((m) => m.startsWith('generated the next signing keys')).length, 1, 'one next generation is kept')

  const restarted = await createKeystoreWithMadeKeys({ dir })
  t.strictSame(restarted.jwks(), first, 'a restart keeps them')
  await Promise.all([...keystores, restarted].map((k) => k.close()))
})

t.test('on a filesystem without hard links the key files are still created exclusively', async (t) => {
  const fs = await import('node:fs/promises')
  const noLinks = async () => {
    throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' })
  }
  const mocked = await t.mockImport<typeof import('../../src/keys/keystore.js')>('../../src/keys/keystore.js', {
    'node:fs/promises': { ...fs, link: noLinks },
  })
  const dir = t.testdir()
  const [a, b] = await Promise.all([mocked.createKeystore({ dir, generateKey: madeKey }), mocked.createKeystore({ dir, generateKey: madeKey })])
  await Promise.all([a.ready(), b.ready()])
  t.strictSame(b.jwks(), a.jwks())
  t.equal((await keyFilesIn(dir)).length, 4)
  t.notOk((await readdir(dir)).some((f) => f.endsWith('.tmp')), 'no temp files left')
  t.strictSame((await createKeystoreWithMadeKeys({ dir })).jwks(), a.jwks(), 'the files hold those keys')
})

t.test('keys directory problems are KeystoreErrors naming the directory and the cause', async (t) => {
  const root = t.testdir({ 'a-file': 'not a directory' })
  const file = join(root, 'a-file')
  await t.rejects(createKeystoreWithMadeKeys({ dir: file }), { name: 'KeystoreError', message: `keys directory ${file}: exists but is not a directory` })
  await t.rejects(createKeystoreWithMadeKeys({ dir: join(file, 'keys') }), {
    name: 'KeystoreError',
    message: `keys directory ${join(file, 'keys')}: cannot create it (ENOTDIR: not a directory)`,
  })

  t.test('a directory procfs refuses to create (fs.mkdir recursive loops forever there)', { skip: process.platform !== 'linux' }, async (t) => {
    await t.rejects(createKeystoreWithMadeKeys({ dir: '/proc/x/keys' }), {
      name: 'KeystoreError',
      message: 'keys directory /proc/x/keys: cannot create it (ENOENT: no such file or directory)',
    })
  })

  t.test('a directory that cannot be written', async (t) => {
    const dir = await unwritableDir(t)
    if (dir === undefined) return t.pass('skipped: no directory this user cannot write to')
    await t.rejects(createKeystoreWithMadeKeys({ dir }), {
      name: 'KeystoreError',
      message: new RegExp(`^keys directory ${escape(dir)}: cannot write a signing key there \\((EACCES|EPERM|EROFS): [^)]+\\)$`),
    })
  })

  t.test('a bad key file', async (t) => {
    const dir = t.testdir({ 'rs256.private.jwk.json': '[]' })
    const error = await createKeystoreWithMadeKeys({ dir }).catch((err: unknown) => err)
    t.ok(error instanceof KeystoreError, 'a KeystoreError, so the CLI exits 2')
  })
})

t.test('toPublicJwk keeps public members by allow-list', async (t) => {
  const rsa = { kty: 'RSA', n: 'N', e: 'AQAB', d: 'D', p: 'P', q: 'Q', dp: 'DP', dq: 'DQ', qi: 'QI', oth: [], k: 'K', x5c: ['cert'], ext: true, key_ops: ['sign'] } as JWK
  t.strictSame(toPublicJwk(rsa, 'RS256', 'kid-1'), { kty: 'RSA', n: 'N', e: 'AQAB', kid: 'kid-1', alg: 'RS256', use: 'sig' })
  const ec = { kty: 'EC', crv: 'P-256', x: 'X', y: 'Y', d: 'D', use: 'enc' } as JWK
  t.strictSame(toPublicJwk(ec, 'ES256', 'kid-2'), { kty: 'EC', crv: 'P-256', x: 'X', y: 'Y', kid: 'kid-2', alg: 'ES256', use: 'sig' })
  t.throws(() => toPublicJwk(ec, 'RS256', 'k'), /RS256 needs a RSA key/)
  t.throws(() => toPublicJwk({ ...ec, crv: 'P-384' }, 'ES256', 'k'), /ES256 needs curve P-256/)
  t.throws(() => toPublicJwk({ kty: 'RSA', n: 'N' }, 'RS256', 'k'), /"e" is missing/)
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
