// Auth0's rules for custom claims.
import t from 'tap'
import { claimRefusal, RESTRICTED_CLAIMS } from '../../src/actions/claims.js'

const ISSUER = 'https://gatehouse.test/'
const access = { token: 'access' as const, audience: 'appointments:api', issuer: ISSUER }

t.test('restricted claims are refused in both tokens', async (t) => {
  t.equal(RESTRICTED_CLAIMS.size, 60, "the documented list")
  for (const name of ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'azp', 'permissions', 'roles', 'org_id', 'x5t#S256']) {
    t.equal(claimRefusal(name, access), `"${name}" is one of the claims Auth0 restricts`)
    t.equal(claimRefusal(name, { token: 'id', issuer: ISSUER }), `"${name}" is one of the claims Auth0 restricts`)
  }
})

t.test('namespaces: any http(s) URL but Auth0 domains and urn:auth0', async (t) => {
  for (const name of ['https://example.com/roles', 'http://example.com/x', 'https://auth0.example.com/x', 'favorite_color', 'email', 'name']) {
    t.equal(claimRefusal(name, access), undefined, name)
  }
  t.equal(claimRefusal('https://auth0.com/x', access), 'auth0.com is an Auth0 domain, which cannot be a namespace (auth0.com, webtask.io, webtask.run)')
  t.equal(claimRefusal('https://x.webtask.run/y', access), 'x.webtask.run is an Auth0 domain, which cannot be a namespace (auth0.com, webtask.io, webtask.run)')
  t.equal(claimRefusal('URN:AUTH0:x', access), 'the urn:auth0 namespace is reserved by Auth0')
})

t.test('access tokens for the Management API take namespaced claims only', async (t) => {
  const management = { token: 'access' as const, audience: `${ISSUER}api/v2/`, issuer: ISSUER }
  t.equal(claimRefusal('tier', management), 'access tokens for the Management API take namespaced claims only (an http or https URL)')
  t.equal(claimRefusal('https://example.com/tier', management), undefined)
  t.equal(claimRefusal('tier', { token: 'id', issuer: ISSUER }), undefined, 'not an access token')
})
