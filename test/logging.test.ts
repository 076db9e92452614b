// Logs explain each decision and never carry a secret: passwords, codes, tokens, cookies, client secrets.
import t from 'tap'
import { buildServer } from '../src/server.js'
import { fakeClock, queryOf, signIn } from './helpers/server.js'
import { CALLBACK, testConfig } from './helpers/tenant.js'
import { BACKEND_BASIC, CHALLENGE, codeGrant, getUserinfo, postToken, VERIFIER } from './helpers/tokens.js'

t.test('decisions are logged with their reasons, secrets are not', async (t) => {
  const lines: string[] = []
  const app = await buildServer(testConfig({ logLevel: 'info' }), {
    clock: fakeClock(),
    logStream: { write: (line) => void lines.push(line) },
  })
  t.teardown(() => app.close())

  const { res, cookie } = await signIn(app, {
    client_id: 'organizer',
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope: 'openid offline_access read:appointments',
    audience: 'appointments:api',
    state: 'st',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
  })
  const { code } = queryOf(res.headers.location!)
  const tokens = (await postToken(app, codeGrant(code!), { json: true })).json()
  await getUserinfo(app, tokens.access_token)
  await app.inject({ url: `/oidc/logout?id_token_hint=${tokens.id_token}&client_id=organizer`, headers: { cookie } })
  await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC, json: true })

  const log = lines.join('')
  t.match(log, 'authorize: login required: no session')
  t.match(log, 'authorize: consent required: openid offline_access read:appointments not yet granted')
  t.match(log, 'authorize: issued code to organizer for auth0|alice')
  t.match(log, 'token: issued authorization_code tokens to organizer')

  const secrets = {
    password: 'wonderland',
    code: code!,
    access_token: tokens.access_token,
    id_token: tokens.id_token,
    refresh_token: tokens.refresh_token,
    session_cookie: cookie.split('=')[1]!,
    client_secret: 'backend-secret',
    code_verifier: VERIFIER,
  }
  for (const [name, value] of Object.entries(secrets)) {
    t.type(value, 'string', `${name} was issued`)
    t.notOk(log.includes(value), `the log does not contain the ${name}`)
  }
})
