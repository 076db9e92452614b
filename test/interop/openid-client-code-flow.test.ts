import { createRemoteJWKSet, jwtVerify } from 'jose'
import * as client from 'openid-client'
import t, { type Test } from 'tap'
import { startGatehouse } from '../helpers/listen.js'
import { discover, userAgent } from '../helpers/openid-client.js'
import { CALLBACK } from '../helpers/tenant.js'

// openid-client fetches discovery, the JWKS and every endpoint itself, so Gatehouse really listens.
const { issuer } = await startGatehouse(t)

const organizer = await discover(issuer, 'organizer')
const backendBasic = await discover(issuer, 'backend', client.ClientSecretBasic('backend-secret'))
const backendPost = await discover(issuer, 'backend', client.ClientSecretPost('backend-secret'))
const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`))

const SCOPE = 'openid profile email offline_access read:appointments'
const AUDIENCE = 'appointments:api'
const LOGGED_OUT = 'https://app.example.com/'

/** Runs /authorize for organizer with PKCE and returns what authorizationCodeGrant needs. */
async function authorize(ua: ReturnType<typeof userAgent>, scope = SCOPE) {
  const pkceCodeVerifier = client.randomPKCECodeVerifier()
  const expectedState = client.randomState()
  const expectedNonce = client.randomNonce()
  const url = client.buildAuthorizationUrl(organizer, {
    redirect_uri: CALLBACK,
    scope,
    audience: AUDIENCE,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
  })
  const callback = await ua.run(url)
  return { callback, checks: { pkceCodeVerifier, expectedState, expectedNonce } }
}

const responseBodyError = async (t: Test, promise: Promise<unknown>, error: string, name: string) => {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof client.ResponseBodyError, `${name}: ResponseBodyError (${(err as Error)?.message})`)
  if (err instanceof client.ResponseBodyError) {
    t.equal(err.error, error, `${name}: ${err.error_description}`)
    t.equal(err.status, 400, `${name}: status`)
  }
}

t.test('discovery lists what the code flow uses', async (t) => {
  const metadata = organizer.serverMetadata()
  t.equal(metadata.issuer, issuer)
  t.equal(metadata.token_endpoint, `${issuer}oauth/token`)
  t.equal(metadata.userinfo_endpoint, `${issuer}userinfo`)
  t.equal(metadata.end_session_endpoint, `${issuer}oidc/logout`)
  t.equal(metadata.revocation_endpoint, `${issuer}oauth/revoke`)
  t.equal(metadata.introspection_endpoint, `${issuer}oauth/introspect`)
  t.ok(metadata.code_challenge_methods_supported?.includes('S256'))
  t.ok(metadata.grant_types_supported?.includes('refresh_token'))
})

t.test('code + PKCE, refresh, userinfo, introspection, revocation, end session', async (t) => {
  const ua = userAgent(issuer)
  const { callback, checks } = await authorize(ua)
  t.equal(callback.origin + callback.pathname, CALLBACK, 'back at the callback')
  t.ok(callback.searchParams.get('code'), 'code in the query')

  // authorizationCodeGrant validates the ID token: signature, iss, aud, exp, iat, nonce.
  const tokens = await client.authorizationCodeGrant(organizer, callback, checks)
  t.equal(tokens.token_type.toLowerCase(), 'bearer')
  t.ok(tokens.expires_in! > 0)
  t.type(tokens.refresh_token, 'string', 'offline_access gave a refresh token')
  t.strictSame(tokens.scope?.split(' ').sort(), SCOPE.split(' ').sort())
  const claims = tokens.claims()!
  t.equal(claims.iss, issuer)
  t.equal(claims.aud, 'organizer')
  t.equal(claims.sub, 'auth0|alice')
  t.equal(claims.nonce, checks.expectedNonce)
  t.equal(claims.email, 'alice@example.com')

  const at = await jwtVerify(tokens.access_token, jwks, { issuer, audience: AUDIENCE })
  t.equal(at.payload.sub, 'auth0|alice')
  t.equal(at.payload.azp, 'organizer')

  await t.test('fetchUserInfo checks sub', async (t) => {
    const userinfo = await client.fetchUserInfo(organizer, tokens.access_token, claims.sub)
    t.equal(userinfo.sub, 'auth0|alice')
    t.equal(userinfo.name, 'Alice Liddell')
    t.equal(userinfo.email, 'alice@example.com')
  })

  await t.test('refreshTokenGrant', async (t) => {
    const refreshed = await client.refreshTokenGrant(organizer, tokens.refresh_token!)
    t.not(refreshed.access_token, tokens.access_token, 'a new access token')
    const again = await jwtVerify(refreshed.access_token, jwks, { issuer, audience: AUDIENCE })
    t.equal(again.payload.sub, 'auth0|alice')
    if (refreshed.id_token) t.equal(refreshed.claims()?.sub, 'auth0|alice', 'refreshed ID token passes validation')
    const narrowed = await client.refreshTokenGrant(organizer, tokens.refresh_token!, { scope: 'openid read:appointments' })
    t.equal(narrowed.scope, 'openid read:appointments', 'scope can be narrowed')
  })

  await t.test('tokenIntrospection by the confidential backend', async (t) => {
    const access = await client.tokenIntrospection(backendBasic, tokens.access_token)
    t.equal(access.active, true)
    t.equal(access.sub, 'auth0|alice')
    t.equal(access.client_id, 'organizer')
    t.ok(access.scope?.split(' ').includes('read:appointments'))
    const refresh = await client.tokenIntrospection(backendPost, tokens.refresh_token!)
    t.equal(refresh.active, false, "another client's refresh token reads as inactive")
    const junk = await client.tokenIntrospection(backendBasic, 'not-a-token')
    t.equal(junk.active, false)
  })

  await t.test('tokenRevocation of the refresh token, then refresh fails', async (t) => {
    await client.tokenRevocation(organizer, tokens.refresh_token!, { token_type_hint: 'refresh_token' })
    await responseBodyError(t, client.refreshTokenGrant(organizer, tokens.refresh_token!), 'invalid_grant', 'refresh after revocation')
    const refresh = await client.tokenIntrospection(backendBasic, tokens.refresh_token!)
    t.equal(refresh.active, false)
  })

  await t.test('buildEndSessionUrl: 302 to post_logout_redirect_uri with state, session ended', async (t) => {
    const state = client.randomState()
    const url = client.buildEndSessionUrl(organizer, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: LOGGED_OUT,
      state,
    })
    t.equal(url.origin + url.pathname, `${issuer}oidc/logout`)
    const res = await ua.request(url.href)
    t.equal(res.status, 302)
    const location = new URL(res.headers.get('location')!)
    t.equal(location.origin + location.pathname, LOGGED_OUT)
    t.equal(location.searchParams.get('state'), state)

    const silent = client.buildAuthorizationUrl(organizer, {
      redirect_uri: CALLBACK,
      scope: 'openid',
      prompt: 'none',
      state: client.randomState(),
      nonce: client.randomNonce(),
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    })
    const back = await ua.run(silent)
    t.equal(back.searchParams.get('error'), 'login_required', 'the session is gone')
  })
})

t.test('a wrong code_verifier is rejected with invalid_grant', async (t) => {
  const { callback, checks } = await authorize(userAgent(issuer), 'openid profile')
  await responseBodyError(
    t,
    client.authorizationCodeGrant(organizer, callback, { ...checks, pkceCodeVerifier: client.randomPKCECodeVerifier() }),
    'invalid_grant',
    'wrong code_verifier',
  )
})

t.test('clientCredentialsGrant with client_secret_basic and client_secret_post', async (t) => {
  for (const [name, config] of [
    ['client_secret_basic', backendBasic],
    ['client_secret_post', backendPost],
  ] as const) {
    const tokens = await client.clientCredentialsGrant(config, { audience: AUDIENCE })
    t.equal(tokens.token_type.toLowerCase(), 'bearer', name)
    t.equal(tokens.refresh_token, undefined, `${name}: no refresh token`)
    t.equal(tokens.id_token, undefined, `${name}: no ID token`)
    const at = await jwtVerify(tokens.access_token, jwks, { issuer, audience: AUDIENCE })
    t.equal(at.payload.sub, 'backend@clients', `${name}: sub`)
    t.equal(at.payload.scope, 'read:appointments', `${name}: scope from the client grant`)
    t.equal(at.payload.gty, 'client-credentials', `${name}: gty`)
  }
  const wrong = await discover(issuer, 'backend', client.ClientSecretBasic('nope'))
  // A 401 with a WWW-Authenticate header surfaces as a challenge error, with the JSON body still readable.
  const err = await client.clientCredentialsGrant(wrong, { audience: AUDIENCE }).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof client.WWWAuthenticateChallengeError, `wrong secret: WWWAuthenticateChallengeError (${(err as Error)?.message})`)
  if (err instanceof client.WWWAuthenticateChallengeError) {
    t.equal(err.status, 401)
    t.equal(err.cause[0]?.scheme, 'basic')
    t.equal(((await err.response.json()) as { error?: string }).error, 'invalid_client')
  }
})
