// The rotation state as data: Auth0's roles (next, current, previous, revoked) and how they move.
import t from 'tap'
import {
  firstState,
  forgottenKids,
  KEPT_REVOKED,
  parseRotationState,
  publishedGenerations,
  revoked,
  rotated,
  serializeRotationState,
  withNext,
  type RotationState,
} from '../../src/keys/rotation.js'

// Kids are base64url thumbprints; these are long enough to pass as such.
const kids = (name: string) => ({ RS256: `rs-${name}`.padEnd(43, 'x'), ES256: `es-${name}`.padEnd(43, 'x') })
const T0 = 1_700_000_000_000
const roles = (state: RotationState) => state.generations.map((g) => `${g.role}:${g.kids.RS256.slice(3, 5)}`)

const started = withNext(firstState(kids('k1'), T0), kids('k2'), T0 + 1)

t.test('a first state, then a next generation', async (t) => {
  const first = firstState(kids('k1'), T0)
  t.strictSame(first, { version: 1, generations: [{ role: 'current', kids: kids('k1'), created_at: T0, current_since: T0 }] })
  t.strictSame(started, {
    version: 2,
    generations: [
      { role: 'current', kids: kids('k1'), created_at: T0, current_since: T0 },
      { role: 'next', kids: kids('k2'), created_at: T0 + 1 },
    ],
  })
  t.equal(withNext(started, kids('k3'), T0 + 2), started, 'a state with a next generation keeps it')
})

t.test('rotation: next → current, current → previous, previous → revoked, a new next', async (t) => {
  const once = rotated(started, kids('k3'), T0 + 10)
  t.strictSame(once, {
    version: 3,
    generations: [
      { role: 'current', kids: kids('k2'), created_at: T0 + 1, current_since: T0 + 10 },
      { role: 'next', kids: kids('k3'), created_at: T0 + 10 },
      { role: 'previous', kids: kids('k1'), created_at: T0, current_since: T0, current_until: T0 + 10 },
    ],
  })
  const twice = rotated(once, kids('k4'), T0 + 20)
  t.strictSame(roles(twice), ['current:k3', 'next:k4', 'previous:k2', 'revoked:k1'])
  t.equal(twice.generations[3]!.revoked_at, T0 + 20, 'the older previous key is revoked by the rotation')
  t.strictSame(
    publishedGenerations(twice).map((g) => g.role),
    ['current', 'next', 'previous'],
    'published: current, next, previous',
  )
  t.throws(() => rotated(firstState(kids('k1'), T0), kids('k2'), T0), /needs a next generation/)
})

t.test('revocation: only the previous generation, by either kid', async (t) => {
  const once = rotated(started, kids('k3'), T0 + 10)
  const byRsa = revoked(once, kids('k1').RS256, T0 + 30)
  t.strictSame(roles(byRsa), ['current:k2', 'next:k3', 'revoked:k1'])
  t.equal(byRsa.version, 4)
  t.equal(byRsa.generations[2]!.revoked_at, T0 + 30)
  t.strictSame(revoked(once, kids('k1').ES256, T0 + 30), byRsa, 'the ES256 kid revokes the same generation')

  t.throws(() => revoked(once, kids('k2').RS256, T0), { name: 'KeyRotationError', code: 'not_revocable', message: 'Only the previous signing key can be revoked; this one is the current key.' })
  t.throws(() => revoked(once, kids('k3').ES256, T0), { code: 'not_revocable', message: 'Only the previous signing key can be revoked; this one is the next key.' })
  t.throws(() => revoked(byRsa, kids('k1').RS256, T0), { code: 'already_revoked', message: 'The signing key is already revoked.' })
  t.throws(() => revoked(once, 'unknown', T0), { code: 'not_found', message: 'Signing key not found.' })
})

t.test(`the ${KEPT_REVOKED} most recently revoked generations are kept; older ones are forgotten`, async (t) => {
  let state = started
  for (let i = 3; i < KEPT_REVOKED + 6; i++) state = rotated(state, kids(`k${i}`.padStart(3, '0')), T0 + i)
  const revokedOnes = state.generations.filter((g) => g.role === 'revoked')
  t.equal(revokedOnes.length, KEPT_REVOKED)
  t.strictSame(
    revokedOnes.map((g) => g.revoked_at),
    [...revokedOnes.map((g) => g.revoked_at!)].sort((a, b) => b - a),
    'most recently revoked first',
  )
  const before = state
  const after = rotated(before, kids('zz'), T0 + 100)
  const forgotten = forgottenKids(before, after)
  t.equal(forgotten.length, 2, 'one generation forgotten: both of its keys')
  t.ok(forgotten.every((kid) => before.generations.at(-1)!.kids.RS256 === kid || before.generations.at(-1)!.kids.ES256 === kid))
})

t.test('a stored state reads back as it was; broken ones say what is wrong', async (t) => {
  const state = revoked(rotated(started, kids('k3'), T0 + 10), kids('k1').RS256, T0 + 20)
  t.strictSame(parseRotationState(serializeRotationState(state)), state)

  const generation = (fields: Record<string, unknown>) => ({ role: 'current', kids: kids('a'), created_at: T0, ...fields })
  const cases: [string, unknown, string][] = [
    ['not an object', [], 'does not hold a JSON object'],
    ['no version', { generations: [generation({})] }, 'has no valid "version"'],
    ['no generations', { version: 1 }, 'has no "generations" list'],
    ['two current', { version: 1, generations: [generation({}), generation({ kids: kids('b') })] }, 'has 2 current generations'],
    ['two next', { version: 1, generations: [generation({}), generation({ role: 'next', kids: kids('b') }), generation({ role: 'next', kids: kids('c') })] }, 'has 2 next generations'],
    ['a kid twice', { version: 1, generations: [generation({}), generation({ role: 'next' })] }, 'names a kid twice'],
    ['a bad role', { version: 1, generations: [generation({ role: 'spare' })] }, 'generation 1 has no valid "role"'],
    ['a kid that could not name a file', { version: 1, generations: [generation({ kids: { ...kids('a'), ES256: '../../etc/passwd' } })] }, 'generation 1 has no valid ES256 kid'],
    ['a bad time', { version: 1, generations: [generation({ current_since: 'yesterday' })] }, 'generation 1 has no valid "current_since"'],
    ['revoked without a time', { version: 1, generations: [generation({}), generation({ role: 'revoked', kids: kids('b') })] }, 'generation 2 is revoked without "revoked_at"'],
  ]
  for (const [name, value, message] of cases) t.throws(() => parseRotationState(JSON.stringify(value)), { message }, name)
  t.throws(() => parseRotationState('{'), { message: /^is not valid JSON/ })
})
