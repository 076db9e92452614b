// Auth0's rotation of signing keys, as data. A generation is one key per algorithm (RS256 and ES256);
// generations rotate and are revoked together. At any time there is one current generation (it signs),
// one next (published ahead of time), at most one previous (published until revoked) and a few revoked
// ones (listed, never published). Pure functions from one state to the next: keystore.ts stores each
// state as a new version.

import type { SigningAlg } from '../config/types.js'

// RS256 first: it is the default for ID tokens and for access tokens without an API.
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS256', 'ES256']

export type KeyRole = 'current' | 'next' | 'previous' | 'revoked'

export interface KeyGeneration {
  role: KeyRole
  kids: Readonly<Record<SigningAlg, string>>
  /** ms since the epoch */
  created_at: number
  current_since?: number
  current_until?: number
  revoked_at?: number
}

export interface RotationState {
  /** 1 for the first state; every change is stored as version + 1 */
  version: number
  /** current, next, previous, then the revoked ones, most recently revoked first */
  generations: readonly KeyGeneration[]
}

/** Revoked generations kept for the Management API's listing; older ones are forgotten. */
export const KEPT_REVOKED = 10

export type KeyRotationErrorCode = 'not_found' | 'not_revocable' | 'already_revoked'

/** A change the rules refuse; the message is Auth0's where it has one. */
export class KeyRotationError extends Error {
  override name = 'KeyRotationError'
  constructor(
    readonly code: KeyRotationErrorCode,
    message: string,
  ) {
    super(message)
  }
}

const ROLE_ORDER: Record<KeyRole, number> = { current: 0, next: 1, previous: 2, revoked: 3 }

/** The first state: these keys are current. */
export function firstState(current: Record<SigningAlg, string>, now: number): RotationState {
  return { version: 1, generations: [{ role: 'current', kids: { ...current }, created_at: now, current_since: now }] }
}

/** The state with these keys as the next generation; the state itself when it has one already. */
export function withNext(state: RotationState, kids: Record<SigningAlg, string>, now: number): RotationState {
  if (generationWithRole(state, 'next') !== undefined) return state
  return successor(state, [...state.generations, { role: 'next', kids: { ...kids }, created_at: now }])
}

/** Next becomes current, current becomes previous, the previous one is revoked, and these keys are next. */
export function rotated(state: RotationState, newNext: Record<SigningAlg, string>, now: number): RotationState {
  if (generationWithRole(state, 'next') === undefined) throw new Error('a rotation needs a next generation')
  const generations = state.generations.map((g): KeyGeneration => {
    switch (g.role) {
      case 'next':
        return { ...g, role: 'current', current_since: now }
      case 'current':
        return { ...g, role: 'previous', current_until: now }
      case 'previous':
        return { ...g, role: 'revoked', revoked_at: now }
      case 'revoked':
        return g
    }
  })
  return successor(state, [...generations, { role: 'next', kids: { ...newNext }, created_at: now }])
}

/** The previous generation revoked, found by either of its kids. Auth0 revokes only the previous key. */
export function revoked(state: RotationState, kid: string, now: number): RotationState {
  const target = generationOf(state, kid)
  if (target === undefined) throw new KeyRotationError('not_found', 'Signing key not found.')
  if (target.role === 'revoked') throw new KeyRotationError('already_revoked', 'The signing key is already revoked.')
  if (target.role !== 'previous') {
    throw new KeyRotationError('not_revocable', `Only the previous signing key can be revoked; this one is the ${target.role} key.`)
  }
  return successor(state, state.generations.map((g) => (g === target ? { ...g, role: 'revoked', revoked_at: now } : g)))
}

export function generationOf(state: Pick<RotationState, 'generations'>, kid: string): KeyGeneration | undefined {
  return state.generations.find((g) => SIGNING_ALGS.some((alg) => g.kids[alg] === kid))
}

export function generationWithRole(state: RotationState, role: Exclude<KeyRole, 'revoked'>): KeyGeneration | undefined {
  return state.generations.find((g) => g.role === role)
}

/** Published in the JWKS: current, next and previous, in that order. */
export function publishedGenerations(state: RotationState): KeyGeneration[] {
  return state.generations.filter((g) => g.role !== 'revoked')
}

/** Kids that `before` knew and `after` no longer does (revoked long ago): their keys may be deleted. */
export function forgottenKids(before: RotationState, after: RotationState): string[] {
  const kept = new Set(after.generations.flatMap((g) => SIGNING_ALGS.map((alg) => g.kids[alg])))
  return before.generations.flatMap((g) => SIGNING_ALGS.map((alg) => g.kids[alg])).filter((kid) => !kept.has(kid))
}

export function serializeRotationState(state: RotationState): string {
  return `${JSON.stringify(state, null, 2)}\n`
}

/** The next version: roles in order, the most recently revoked first, and only the newest revoked ones. */
function successor(state: RotationState, generations: KeyGeneration[]): RotationState {
  const ordered = generations
    .map((g, index) => ({ g, index }))
    .sort((a, b) => ROLE_ORDER[a.g.role] - ROLE_ORDER[b.g.role] || (b.g.revoked_at ?? 0) - (a.g.revoked_at ?? 0) || a.index - b.index)
    .map(({ g }) => g)
  const live = ordered.filter((g) => g.role !== 'revoked')
  const revokedOnes = ordered.filter((g) => g.role === 'revoked').slice(0, KEPT_REVOKED)
  return { version: state.version + 1, generations: [...live, ...revokedOnes] }
}

// A kid names files and store entries: RFC 7638 thumbprints are base64url, 43 characters.
const KID = /^[A-Za-z0-9_-]{16,128}$/
const TIMES = ['created_at', 'current_since', 'current_until', 'revoked_at'] as const

/** Parses a stored state, checking every rule a state keeps; throws an Error saying what is wrong. */
export function parseRotationState(text: string): RotationState {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new Error(`is not valid JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  if (!isObject(value)) throw new Error('does not hold a JSON object')
  const { version, generations } = value
  if (!Number.isSafeInteger(version) || (version as number) < 1) throw new Error('has no valid "version"')
  if (!Array.isArray(generations)) throw new Error('has no "generations" list')
  const parsed = generations.map((g, i) => parseGeneration(g, i))
  for (const role of ['current', 'next', 'previous'] as const) {
    const count = parsed.filter((g) => g.role === role).length
    if (role === 'current' ? count !== 1 : count > 1) throw new Error(`has ${count} ${role} generations`)
  }
  const kids = parsed.flatMap((g) => SIGNING_ALGS.map((alg) => g.kids[alg]))
  if (new Set(kids).size !== kids.length) throw new Error('names a kid twice')
  return { version: version as number, generations: parsed }
}

function parseGeneration(value: unknown, index: number): KeyGeneration {
  const where = `generation ${index + 1}`
  if (!isObject(value)) throw new Error(`${where} is not an object`)
  const { role, kids } = value
  if (typeof role !== 'string' || !(role in ROLE_ORDER)) throw new Error(`${where} has no valid "role"`)
  if (!isObject(kids)) throw new Error(`${where} has no "kids"`)
  const parsedKids = {} as Record<SigningAlg, string>
  for (const alg of SIGNING_ALGS) {
    const kid = kids[alg]
    if (typeof kid !== 'string' || !KID.test(kid)) throw new Error(`${where} has no valid ${alg} kid`)
    parsedKids[alg] = kid
  }
  const generation: KeyGeneration = { role: role as KeyRole, kids: parsedKids, created_at: 0 }
  for (const name of TIMES) {
    const time = value[name]
    if (time === undefined && name !== 'created_at') continue
    if (!Number.isSafeInteger(time) || (time as number) < 0) throw new Error(`${where} has no valid "${name}"`)
    generation[name] = time as number
  }
  if (generation.role === 'revoked' && generation.revoked_at === undefined) throw new Error(`${where} is revoked without "revoked_at"`)
  return generation
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
