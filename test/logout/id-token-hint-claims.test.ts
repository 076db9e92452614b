// id_token_hint must be signed by Gatehouse and carry this issuer, one aud and a sub; otherwise an error page.
import t, { type Test } from 'tap'
import { CompactSign, SignJWT } from 'jose'
import { createKeystore } from '../../src/keys/keystore.js'
import { buildTestServer, errorPageOf } from '../helpers/server.js'
import { ISSUER, sharedKeysDir } from '../helpers/tenant.js'
import { implicitTokens } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)
const { privateKey, kid } = (await createKeystore({ dir: sharedKeysDir() })).signingKey('RS256')
const header = { alg: 'RS256', kid, typ: 'JWT' }
const sign = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader(header).sign(privateKey)

const refused = async (t: Test, hint: string, why: string) => {
  const params = new URLSearchParams({ id_token_hint: hint, post_logout_redirect_uri: 'https://app.example.com/' })
  const res = await app.inject({ url: `/oidc/logout?${params}` })
  t.equal(res.statusCode, 400)
  t.equal(res.headers.location, undefined)
  t.same(errorPageOf(res.body), { error: 'invalid_request', description: `id_token_hint is not an ID token from this issuer: ${why}` })
}

t.test('signed with our key but issued by another issuer', async (t) => {
  const { app: other } = await buildTestServer(t, { issuer: 'http://other.test/' })
  const { idToken } = await implicitTokens(other)
  await refused(t, idToken, `it was issued by http://other.test/, not ${ISSUER}`)
})

t.test('no sub, or more than one aud', async (t) => {
  await refused(t, await sign({ iss: ISSUER, aud: 'organizer' }), 'it lacks a single aud or a sub')
  await refused(t, await sign({ iss: ISSUER, aud: ['organizer', 'single'], sub: 'auth0|alice' }), 'it lacks a single aud or a sub')
})

t.test('a signed payload that is not a JWT claims set', async (t) => {
  const hint = await new CompactSign(new TextEncoder().encode('[1]')).setProtectedHeader(header).sign(privateKey)
  await refused(t, hint, 'its payload is not a JWT claims set')
})
