// Signing keys with Auth0's rotation: a current key signs, the next one is published ahead of time, the
// previous one stays published until revoked. The rotation state (rotation.ts) is kept as numbered
// versions where the keys are kept (key-storage.ts); a change is stored as version + 1 only if no other
// process stored that version first, so replicas on one database agree on every rotation. Replicas
// notice another's change by looking for the next version twice a second (state-watch.ts), never on
// a request: signing and verifying read only the view built for the state in use (key-view.ts).
import type { JWK, JWTVerifyGetKey } from 'jose'
import type { SigningAlg } from '../config/types.js'
import type { Store } from '../store/store.js'
import { systemClock, type Clock } from '../util/clock.js'
import type { CertificateForms } from './certificate.js'
import { keptCertificates } from './kept-certificates.js'
import { generateSigningKey, loadSigningKey, messageOf, type KeyGenerator, type LoadedKey, type SigningKey } from './key-material.js'
import { keyFiles, keysInStore } from './key-storage.js'
import { keyView, publishedKeys, type KeyRing, type KeyView } from './key-view.js'
import { KeystoreError, type KeystoreLog } from './keystore-error.js'
import {
  firstState,
  forgottenKids,
  generationOf,
  generationWithRole,
  KeyRotationError,
  parseRotationState,
  revoked,
  rotated,
  serializeRotationState,
  SIGNING_ALGS,
  withNext,
  type KeyGeneration,
  type RotationState,
} from './rotation.js'
import { WATCH_INTERVAL_MS, watchState } from './state-watch.js'

export { KeystoreError, type KeystoreLog } from './keystore-error.js'
export { keyFileName } from './key-storage.js'
export type { SigningKey } from './key-material.js'
export type { KeyRing } from './key-view.js'
export { KeyRotationError, type KeyGeneration, type KeyRole } from './rotation.js'
export { WATCH_INTERVAL_MS } from './state-watch.js'

export interface Keystore {
  /** the current key for alg */
  signingKey(alg: SigningAlg): SigningKey
  keyRing(alg: SigningAlg): KeyRing
  /** public JWK Set for /.well-known/jwks.json: current, next and previous keys; a new object after each change */
  jwks(): { keys: JWK[] }
  /** key resolver for jose's jwtVerify: the keys published now */
  verifier: JWTVerifyGetKey
  /** every generation this instance knows: current, next, previous, then the revoked ones */
  generations(): readonly KeyGeneration[]
  /** resolves once a next key is published; the next keys are made after start, not during it */
  ready(): Promise<void>
  /** next becomes current, current becomes previous (the older previous is revoked), a new next is made; the new current generation */
  rotate(): Promise<KeyGeneration>
  /** revokes the previous generation (either of its kids); throws KeyRotationError otherwise */
  revoke(kid: string): Promise<KeyGeneration>
  /** the key's self-signed certificate (PEM), made on first request and kept */
  certificate(kid: string, commonName: string): Promise<string>
  /** that certificate's PKCS #7 envelope and fingerprints, worked out once */
  certificateForms(kid: string, commonName: string): Promise<CertificateForms>
  /** catches up with a change another process stored */
  refresh(): Promise<void>
  /** stops watching and waits for work under way */
  close(): Promise<void>
}

export interface KeystoreOptions {
  /** the keys directory; used unless keys are kept in a store */
  dir: string
  /** keep keys in this store instead (shared by replicas) */
  store?: Store
  log?: KeystoreLog
  /** times in the rotation state (current_since, revoked_at …) */
  clock?: Clock
  /** how often a shared store is checked for another replica's change, in ms */
  watchIntervalMs?: number
  /** where new keys come from (randomness, injected like the clock) */
  generateKey?: KeyGenerator
}

const CHANGE_ATTEMPTS = 20
const LEGACY_REMEDY = 'delete it to generate a new key (tokens signed with the old one will stop verifying)'
const STATE_REMEDY = 'restore it, or delete every signing key and state to start over with new keys'
const KEY_REMEDY = `the rotation state names it: ${STATE_REMEDY} (tokens signed with the old ones will stop verifying)`

const silentLog: KeystoreLog = { info() {}, warn() {} }

type Kids = Record<SigningAlg, string>

export async function createKeystore(opts: KeystoreOptions): Promise<Keystore> {
  const log = opts.log ?? silentLog
  const clock = opts.clock ?? systemClock
  const generateKey = opts.generateKey ?? generateSigningKey
  const storage = opts.store === undefined ? keyFiles(opts.dir, log) : keysInStore(opts.store)
  await storage.prepare()

  /** keys loaded so far, by kid; published ones are always here */
  const loaded = new Map<string, LoadedKey>()
  const certificates = keptCertificates(storage, (kid, alg) => loadKey(kid, alg))
  let view: KeyView = await viewOf(await openState())
  log.warn(storage.warning)

  // ---- reading states and loading their keys ----

  async function openState(): Promise<RotationState> {
    for (let attempt = 1; ; attempt++) {
      const latest = await readLatest()
      if (latest !== undefined) return latest
      const created = await createFirstState()
      if (created !== undefined) return created
      if (attempt === 5) throw new KeystoreError(`${storage.stateLabel(1)} was removed while Gatehouse started`)
    }
  }

  async function readLatest(): Promise<RotationState | undefined> {
    const latest = await storage.readLatestState()
    return latest === undefined ? undefined : parseState(latest.label, latest.text, latest.version)
  }

  function parseState(label: string, text: string, version?: number): RotationState {
    try {
      const state = parseRotationState(text)
      if (version !== undefined && state.version !== version) throw new Error(`holds version ${state.version}`)
      return state
    } catch (err) {
      throw new KeystoreError(`${label} ${messageOf(err)}; ${STATE_REMEDY}`)
    }
  }

  /** No state yet: the keys kept before rotation existed become current, or new keys are made. */
  async function createFirstState(): Promise<RotationState | undefined> {
    // Independent keys: RSA generation is the slow part of a cold start, so do both at once. Settle
    // both before failing, so no write is still running when the process exits on the error.
    const settled = await Promise.allSettled(SIGNING_ALGS.map((alg) => adoptOrGenerate(alg)))
    const firsts: { alg: SigningAlg; key: LoadedKey; generated: boolean }[] = []
    for (const result of settled) {
      if (result.status === 'rejected') throw result.reason
      firsts.push(result.value)
    }
    const state = firstState(Object.fromEntries(firsts.map(({ alg, key }) => [alg, key.signingKey.kid])) as Kids, clock.now())
    if (await storage.createState(state.version, serializeRotationState(state))) {
      for (const { alg, key, generated } of firsts) {
        loaded.set(key.signingKey.kid, key)
        if (generated) log.info(`generated ${alg} signing key in ${storage.keyLocation(key.signingKey.kid)}`)
        else log.info(`the ${alg} key of ${storage.legacyLabel(alg)} is the current ${alg} signing key; rotation keeps it until revoked`)
      }
      return state
    }
    // Another instance starting on the same keys stored its state first: sign with its keys too.
    for (const { key, generated } of firsts) if (generated) await storage.deleteKey(key.signingKey.kid).catch(() => {})
    log.info('using the signing keys that another instance created meanwhile')
    return undefined
  }

  async function adoptOrGenerate(alg: SigningAlg): Promise<{ alg: SigningAlg; key: LoadedKey; generated: boolean }> {
    const legacy = await storage.readLegacy(alg)
    if (legacy !== undefined) {
      const key = await loadSigningKey(storage.legacyLabel(alg), legacy, alg, LEGACY_REMEDY)
      await storage.createKey(key.signingKey.kid, legacy) // false: copied already, by another instance
      return { alg, key, generated: false }
    }
    const key = await generateKey(alg)
    await storage.createKey(key.signingKey.kid, key.text)
    return { alg, key, generated: true }
  }

  /** A stored key, from memory when loaded before; `signs`: it is a current key, so its pair is checked. */
  async function loadKey(kid: string, alg: SigningAlg, signs = false): Promise<LoadedKey> {
    const known = loaded.get(kid)
    if (known !== undefined) return known
    const text = await storage.readKey(kid)
    if (text === undefined) throw new KeystoreError(`${storage.keyLabel(kid)} is missing; ${KEY_REMEDY}`)
    const key = await loadSigningKey(storage.keyLabel(kid), text, alg, KEY_REMEDY, signs)
    if (key.signingKey.kid !== kid) throw new KeystoreError(`${storage.keyLabel(kid)} holds the key ${key.signingKey.kid}; ${KEY_REMEDY}`)
    return key
  }

  async function viewOf(state: RotationState): Promise<KeyView> {
    const keys = await Promise.all(publishedKeys(state).map(({ kid, alg, signs }) => loadKey(kid, alg, signs)))
    for (const key of keys) loaded.set(key.signingKey.kid, key)
    return keyView(state, (kid) => loaded.get(kid)!)
  }

  async function adopt(state: RotationState): Promise<void> {
    if (state.version <= view.state.version) return
    const next = await viewOf(state)
    if (state.version > view.state.version) view = next
    if (!storedHere.has(state.version)) log.info(`signing keys: using version ${state.version} of the rotation state, stored by another instance`)
  }

  /** The newest stored version, and any written since. */
  async function catchUp(): Promise<void> {
    const latest = await readLatest()
    if (latest !== undefined) await adopt(latest)
    await followVersions()
  }

  async function followVersions(): Promise<void> {
    for (;;) {
      const version = view.state.version + 1
      const text = await storage.readState(version)
      if (text === undefined) return
      await adopt(parseState(storage.stateLabel(version), text, version))
    }
  }

  // ---- changes ----

  let changes: Promise<unknown> = Promise.resolve()
  /** versions this instance stored, which the watch may read before the change returns */
  const storedHere = new Set<number>()

  /** Applies `make` to the newest state and stores the result as the next version; one change at a time here. */
  function change(make: (base: RotationState) => RotationState): Promise<RotationState> {
    const run = changes.then(() => applyChange(make))
    changes = run.catch(() => {})
    return run
  }

  async function applyChange(make: (base: RotationState) => RotationState): Promise<RotationState> {
    for (let attempt = 1; attempt <= CHANGE_ATTEMPTS; attempt++) {
      await catchUp()
      const base = view.state
      const next = make(base)
      if (next === base) return base
      const nextView = await viewOf(next)
      storedHere.add(next.version)
      if (await storage.createState(next.version, serializeRotationState(next))) {
        if (next.version > view.state.version) view = nextView
        await forget(base, next)
        return next
      }
      storedHere.delete(next.version)
    }
    throw new KeystoreError('the signing key state kept changing while this instance tried to change it; try again')
  }

  /** Drops what a new version no longer needs: the oldest kept version, and the keys of generations revoked long ago. */
  async function forget(before: RotationState, after: RotationState): Promise<void> {
    try {
      await storage.pruneStates(after.version)
      for (const kid of forgottenKids(before, after)) {
        loaded.delete(kid)
        certificates.forget(kid)
        await storage.deleteKey(kid)
        await storage.deleteCertificate(kid)
      }
    } catch (err) {
      log.warn(`signing keys: could not delete what the rotation state no longer needs (${messageOf(err)})`)
    }
  }

  /** A new generation's keys, made and stored; its kids by algorithm. */
  async function newGeneration(): Promise<Kids> {
    const keys = await Promise.all(SIGNING_ALGS.map((alg) => generateKey(alg)))
    for (const key of keys) {
      await storage.createKey(key.signingKey.kid, key.text)
      loaded.set(key.signingKey.kid, key)
    }
    return Object.fromEntries(keys.map((key) => [key.signingKey.alg, key.signingKey.kid])) as Kids
  }

  /** Deletes a new generation's keys when no stored state names them (its change failed, or lost). */
  async function discard(kids: Kids | undefined): Promise<void> {
    if (kids === undefined || generationOf(view.state, kids.RS256) !== undefined) return
    for (const alg of SIGNING_ALGS) {
      loaded.delete(kids[alg])
      await storage.deleteKey(kids[alg]).catch(() => {})
    }
  }

  /** Makes a generation and applies a change with it; its keys are deleted if the change does not keep them. */
  async function withNewGeneration(make: (base: RotationState, kids: Kids) => RotationState): Promise<{ state: RotationState; kids: Kids }> {
    let kids: Kids | undefined
    try {
      kids = await newGeneration()
      const made = kids
      return { state: await change((base) => make(base, made)), kids }
    } finally {
      await discard(kids)
    }
  }

  let preparingNext: Promise<void> | undefined

  /** Makes the next generation when the state has none; never rejects (a failure is logged, and retried on demand). */
  function prepareNext(): Promise<void> {
    preparingNext ??= (async () => {
      try {
        // Another instance on the same keys may have made them already: RSA generation is worth a look first.
        await catchUp()
        if (generationWithRole(view.state, 'next') !== undefined) return
        const { state, kids } = await withNewGeneration((base, made) => withNext(base, made, clock.now()))
        if (generationOf(state, kids.RS256)?.role === 'next') {
          log.info(`generated the next signing keys (RS256 ${kids.RS256}, ES256 ${kids.ES256}), published ahead of the next rotation`)
        }
      } catch (err) {
        log.warn(`signing keys: could not make the next keys (${messageOf(err)}); they are made again when needed`)
      } finally {
        preparingNext = undefined
      }
    })()
    return preparingNext
  }

  const ready = () => (generationWithRole(view.state, 'next') !== undefined ? Promise.resolve() : prepareNext())

  const watch = storage.shared
    ? watchState({ intervalMs: opts.watchIntervalMs ?? WATCH_INTERVAL_MS, followVersions, catchUp, log })
    : undefined
  // Made after start, so a first start only waits for the current keys.
  void ready()

  /** A kid's generation and algorithm, in the state in use. */
  const knownKey = (kid: string): { generation: KeyGeneration; alg: SigningAlg } => {
    const generation = generationOf(view.state, kid)
    if (generation === undefined) throw new KeyRotationError('not_found', 'Signing key not found.')
    return { generation, alg: SIGNING_ALGS.find((a) => generation.kids[a] === kid)! }
  }

  const ringOf = (alg: SigningAlg): KeyRing => {
    const ring = view.rings.get(alg)
    if (ring === undefined) throw new TypeError(`no signing key for alg ${String(alg)}`)
    return ring
  }

  return {
    signingKey: (alg) => ringOf(alg).current,
    keyRing: ringOf,
    jwks: () => view.jwks,
    verifier: (header, token) => view.keySet(header, token),
    generations: () => view.state.generations,
    ready,

    async rotate() {
      await ready()
      const { state } = await withNewGeneration((base, made) => rotated(base, made, clock.now()))
      return generationWithRole(state, 'current')!
    },

    async revoke(kid) {
      const state = await change((base) => revoked(base, kid, clock.now()))
      return generationOf(state, kid)!
    },

    async certificate(kid, commonName) {
      const { generation, alg } = knownKey(kid)
      return certificates.of(generation, kid, alg, commonName)
    },

    async certificateForms(kid, commonName) {
      const { generation, alg } = knownKey(kid)
      return certificates.formsOf(generation, kid, alg, commonName)
    },

    refresh: catchUp,

    async close() {
      await Promise.allSettled([watch?.stop(), preparingNext, changes])
    },
  }
}
