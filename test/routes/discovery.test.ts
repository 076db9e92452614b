// Discovery: the issuer with its trailing slash, and only what is implemented.
import t from 'tap'
import { buildTestServer, fragmentOf, signIn, startAuthorize } from '../helpers/server.js'
import { CALLBACK, ISSUER } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)
const PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']

const first = await app.inject({ url: PATHS[0] })
const metadata = first.json<Record<string, unknown>>()
const list = (name: string) => metadata[name] as string[]

t.test('both documents are the same JSON', async (t) => {
  for (const path of PATHS) {
    const res = await app.inject({ url: path })
    t.equal(res.statusCode, 200, path)
    t.match(res.headers['content-type'], /^application\/json/)
    t.strictSame(res.json(), metadata)
  }
})

t.test('issuer and endpoints', async (t) => {
  t.equal(metadata.issuer, ISSUER)
  t.ok(String(metadata.issuer).endsWith('/'))
  t.equal(metadata.authorization_endpoint, `${ISSUER}authorize`)
  t.equal(metadata.jwks_uri, `${ISSUER}.well-known/jwks.json`)
})

t.test('the issuer follows the configuration', async (t) => {
  const { app: https } = await buildTestServer(t, { issuer: 'https://gatehouse.test/tenant/' })
  const doc = (await https.inject({ url: `/tenant${PATHS[1]}` })).json<Record<string, unknown>>()
  t.equal(doc.issuer, 'https://gatehouse.test/tenant/')
  t.equal(doc.authorization_endpoint, 'https://gatehouse.test/tenant/authorize')
})

t.test('every advertised endpoint answers', async (t) => {
  const endpoints = Object.entries(metadata).filter(([name]) => name.endsWith('_endpoint') || name === 'jwks_uri')
  t.ok(endpoints.length >= 2)
  for (const [name, url] of endpoints) {
    t.ok(String(url).startsWith(ISSUER), name)
    const path = `/${String(url).slice(ISSUER.length)}`
    const statuses = []
    for (const method of ['GET', 'POST'] as const) {
      const res = await app.inject({ method, url: path })
      t.ok(res.statusCode < 500, `${method} ${name}: ${res.statusCode}`)
      statuses.push(res.statusCode)
    }
    t.ok(statuses.some((status) => status !== 404), `${name} is routed`)
  }
})

// PKCE for the code flow of a public client
const PKCE = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }
const responseOf = (location: string) => ({ ...Object.fromEntries(new URL(location).searchParams), ...fragmentOf(location) })

t.test('every advertised response type works', async (t) => {
  for (const responseType of list('response_types_supported')) {
    const { res } = await signIn(app, {
      client_id: 'first-party',
      redirect_uri: CALLBACK,
      response_type: responseType,
      scope: 'openid',
      nonce: 'n',
      state: 's',
      ...(responseType.includes('code') ? PKCE : {}),
    })
    t.equal(res.statusCode, 303, responseType)
    const response = responseOf(String(res.headers.location))
    t.notOk('error' in response, `${responseType}: ${response.error_description}`)
    for (const part of responseType.split(' ')) t.type(response[part === 'token' ? 'access_token' : part], 'string')
  }
})

t.test('every advertised response mode works', async (t) => {
  for (const mode of list('response_modes_supported')) {
    const { res } = await signIn(app, {
      client_id: 'first-party',
      redirect_uri: CALLBACK,
      response_type: mode === 'query' ? 'code' : 'token',
      response_mode: mode,
      scope: 'openid',
      state: 's',
      ...PKCE,
    })
    t.ok(res.statusCode === 303 || res.statusCode === 200, mode)
    t.notMatch(String(res.headers.location ?? ''), /error=/, mode)
    t.notMatch(res.body, /error_description/, mode)
  }
})

t.test('every advertised scope and prompt is accepted', async (t) => {
  const params = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'token', state: 's' }
  for (const scope of list('scopes_supported')) {
    const res = await startAuthorize(app, { ...params, scope })
    t.match(res.headers.location, /^\/login\//, scope)
  }
  for (const prompt of list('prompt_values_supported')) {
    const res = await startAuthorize(app, { ...params, scope: 'openid', prompt })
    const location = String(res.headers.location)
    if (prompt === 'none') t.equal(fragmentOf(location).error, 'login_required')
    else t.match(location, /^\/login\//, prompt)
  }
})

t.test('every advertised grant type is known to the token endpoint', async (t) => {
  t.ok(list('grant_types_supported').includes('implicit'))
  for (const grantType of list('grant_types_supported').filter((g) => g !== 'implicit')) {
    const res = await app.inject({
      method: 'POST',
      url: `/${String(metadata.token_endpoint).slice(ISSUER.length)}`,
      payload: new URLSearchParams({ grant_type: grantType }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    t.ok(res.statusCode < 500, grantType)
    t.not(res.json().error, 'unsupported_grant_type', grantType)
  }
})

t.test('algorithms and flags match the implementation', async (t) => {
  t.strictSame(list('id_token_signing_alg_values_supported'), ['RS256', 'ES256'])
  t.strictSame(list('subject_types_supported'), ['public'])
  t.equal(metadata.claims_parameter_supported, false)
  t.equal(metadata.request_parameter_supported, false)
  t.equal(metadata.request_uri_parameter_supported, false)
})

t.test('every ID token claim is advertised', async (t) => {
  const { res } = await signIn(app, {
    client_id: 'first-party',
    redirect_uri: CALLBACK,
    response_type: 'id_token token',
    scope: 'openid profile email',
    nonce: 'n',
  })
  const idToken = fragmentOf(String(res.headers.location)).id_token!
  const claims = Object.keys(JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()))
  for (const claim of claims) t.ok(list('claims_supported').includes(claim), claim)
})
