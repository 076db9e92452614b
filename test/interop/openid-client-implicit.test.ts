import { createRemoteJWKSet, jwtVerify } from 'jose'
import * as client from 'openid-client'
import t, { type Test } from 'tap'
import { startGatehouse } from '../helpers/listen.js'
import { discover, userAgent } from '../helpers/openid-client.js'
import { CALLBACK } from '../helpers/tenant.js'
import { leftHalfSha256 } from '../helpers/tokens.js'

// openid-client must fetch discovery and the JWKS itself, so Gatehouse really listens.
const { issuer } = await startGatehouse(t)

const config = await discover(issuer, 'organizer', client.None(), client.useIdTokenResponseType)

/** openid-client wraps the processing error: the reason is in `cause.message`. */
const rejectsWith = async (t: Test, promise: Promise<unknown>, reason: RegExp, name: string) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { cause?: Error },
  )
  t.ok(err, `${name}: rejected`)
  t.match(`${err?.message} / ${err?.cause?.message}`, reason, `${name}: ${err?.cause?.message ?? err?.message}`)
}

const jwks = createRemoteJWKSet(new URL(`${issuer}.well-known/jwks.json`))

t.test('discovery: openid-client reads the metadata', async (t) => {
  const metadata = config.serverMetadata()
  t.equal(metadata.issuer, issuer)
  t.equal(metadata.jwks_uri, `${issuer}.well-known/jwks.json`)
  t.ok(metadata.response_types_supported?.includes('id_token'))
  t.ok(metadata.response_types_supported?.includes('id_token token'))
})

t.test('response_type=id_token is accepted by implicitAuthentication', async (t) => {
  const ua = userAgent(issuer)
  const nonce = client.randomNonce()
  const state = client.randomState()
  const url = client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid profile email', nonce, state })
  t.equal(url.searchParams.get('response_type'), 'id_token', 'openid-client asks for id_token')

  const callback = await ua.run(url)
  t.equal(callback.origin + callback.pathname, CALLBACK)
  t.equal(callback.search, '', 'nothing in the query')
  t.notOk(new URLSearchParams(callback.hash.slice(1)).has('access_token'), 'no access token for id_token')

  const claims = await client.implicitAuthentication(config, callback, nonce, { expectedState: state })
  t.equal(claims.iss, issuer)
  t.equal(claims.aud, 'organizer')
  t.equal(claims.sub, 'auth0|alice')
  t.equal(claims.nonce, nonce)
  t.equal(claims.email, 'alice@example.com')
  t.equal(claims.at_hash, undefined, 'no at_hash without an access token')
  t.strictSame(ua.pagesSeen, ['login', 'authorize', 'consent', 'authorize'])
})

t.test('response_type=id_token token: openid-client checks the ID token, jose the rest', async (t) => {
  const ua = userAgent(issuer)
  const nonce = client.randomNonce()
  const state = client.randomState()
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK,
    response_type: 'id_token token',
    scope: 'openid profile read:appointments',
    audience: 'appointments:api',
    nonce,
    state,
  })
  const callback = await ua.run(url)
  const fragment = Object.fromEntries(new URLSearchParams(callback.hash.slice(1)))

  // implicitAuthentication validates only the ID token (it never looks at access_token or at_hash).
  const claims = await client.implicitAuthentication(config, callback, nonce, { expectedState: state })
  t.equal(claims.sub, 'auth0|alice')
  t.equal(claims.nonce, nonce)
  t.equal(claims.at_hash, leftHalfSha256(fragment.access_token!), 'at_hash matches the access token')

  t.equal(fragment.token_type, 'Bearer')
  t.ok(Number(fragment.expires_in) > 0)
  const at = await jwtVerify(fragment.access_token!, jwks, { issuer, audience: 'appointments:api' })
  t.equal(at.payload.sub, 'auth0|alice')
  t.equal(at.payload.azp, 'organizer')
  t.ok(String(at.payload.scope).split(' ').includes('read:appointments'))

  // The same access token also works at /userinfo, and openid-client checks sub against the ID token.
  const userinfo = await client.fetchUserInfo(config, fragment.access_token!, claims.sub)
  t.equal(userinfo.sub, 'auth0|alice')
  t.equal(userinfo.name, 'Alice Liddell')
  t.equal(userinfo.email, undefined, 'email was not requested')
})

t.test('openid-client rejects what it should', async (t) => {
  const ua = userAgent(issuer)
  const issue = async () => {
    const nonce = client.randomNonce()
    const state = client.randomState()
    const callback = await ua.run(client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid profile', nonce, state }))
    return { callback, nonce, state }
  }
  const withFragment = (url: URL, change: (p: URLSearchParams) => void) => {
    const params = new URLSearchParams(url.hash.slice(1))
    change(params)
    const copy = new URL(url)
    copy.hash = params.toString()
    return copy
  }

  const good = await issue()
  t.ok(await client.implicitAuthentication(config, good.callback, good.nonce, { expectedState: good.state }), 'control: untouched response passes')

  await rejectsWith(
    t,
    client.implicitAuthentication(config, good.callback, client.randomNonce(), { expectedState: good.state }),
    /nonce/,
    'wrong nonce',
  )
  await rejectsWith(
    t,
    client.implicitAuthentication(config, good.callback, good.nonce, { expectedState: client.randomState() }),
    /state/,
    'wrong state',
  )

  const tampered = withFragment(good.callback, (params) => {
    const [header, payload, signature] = params.get('id_token')!.split('.')
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString())
    claims.sub = 'auth0|bob'
    params.set('id_token', [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.'))
  })
  await rejectsWith(
    t,
    client.implicitAuthentication(config, tampered, good.nonce, { expectedState: good.state }),
    /signature/i,
    'payload changed after signing',
  )

  const otherClient = await discover(issuer, 'single', client.None(), client.useIdTokenResponseType)
  await rejectsWith(
    t,
    client.implicitAuthentication(otherClient, good.callback, good.nonce, { expectedState: good.state }),
    /aud/,
    'ID token for another client',
  )

  // Alice's grant is stored per user, so prompt=consent asks again; denying puts the error in the fragment.
  const denier = userAgent(issuer)
  const nonce = client.randomNonce()
  const state = client.randomState()
  const denied = await denier.run(
    client.buildAuthorizationUrl(config, { redirect_uri: CALLBACK, scope: 'openid', nonce, state, prompt: 'consent' }),
    { decision: 'deny' },
  )
  t.ok(denier.pagesSeen.includes('consent'), 'the consent page was shown')
  t.equal(new URLSearchParams(denied.hash.slice(1)).get('error'), 'access_denied')
  await t.rejects(
    client.implicitAuthentication(config, denied, nonce, { expectedState: state }),
    client.AuthorizationResponseError,
    'access_denied surfaces as AuthorizationResponseError',
  )
})
