import { createHash, randomBytes } from 'node:crypto'
import t from 'tap'
import { halfHash } from '../../src/tokens/hash.js'

const leftHalfOfSha256 = (value: string): string =>
  createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url')

t.test('matches the OIDC Core appendix A examples', async (t) => {
  // A.3: access_token and at_hash of the "id_token token" response
  t.equal(halfHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256'), '77QmUPtjPfzWtF2AnpK9RQ')
  // A.4: code and c_hash of the "code id_token" response
  t.equal(halfHash('Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk', 'RS256'), 'LDktKdoQak3Pk0cnXxCltA')
})

t.test('is the base64url left half of SHA-256 for both algorithms', async (t) => {
  for (let i = 0; i < 20; i++) {
    const value = randomBytes(1 + i * 7).toString('base64url')
    const expected = leftHalfOfSha256(value)
    t.equal(halfHash(value, 'RS256'), expected)
    t.equal(halfHash(value, 'ES256'), expected)
  }
  t.equal(halfHash('', 'RS256').length, 22, '16 octets, unpadded')
})

t.test('rejects an algorithm it has no hash for', async (t) => {
  t.throws(() => halfHash('x', 'HS256' as never), /unsupported signing alg HS256/)
})
