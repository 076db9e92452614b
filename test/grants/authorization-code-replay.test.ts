// A code is single-use; a replay is refused and revokes what the first use produced (RFC 6749 §4.1.2, RFC 9700 §4.2.4).
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { decodeJwt } from 'jose'
import { isAccessTokenRevoked } from '../../src/grants/revocation.js'
import type { Store } from '../../src/store/store.js'
import { buildServerWithStore } from '../helpers/server.js'
import { codeGrant, errorOf, getUserinfo, obtainCode, organizerRequest, postToken, refreshGrant } from '../helpers/tokens.js'

const exchange = (app: FastifyInstance, code: string) => postToken(app, codeGrant(code))

const refresh = (app: FastifyInstance, token: string) => postToken(app, refreshGrant(token))

const used = {
  status: 400,
  error: 'invalid_grant',
  error_description: 'invalid authorization code: unknown, expired or already used',
}

const revoked = (store: Store, accessToken: string) => isAccessTokenRevoked(store, String(decodeJwt(accessToken).jti))

async function firstUse(t: Test) {
  const { app, clock, store } = await buildServerWithStore(t)
  const code = await obtainCode(app, organizerRequest({ scope: 'openid offline_access' }))
  const first = await exchange(app, code)
  t.equal(first.statusCode, 200)
  const body = first.json()
  t.type(body.refresh_token, 'string')
  t.equal(await revoked(store, body.access_token), false, 'not revoked before the replay')
  return { app, clock, store, code, body }
}

t.test('the second use is invalid_grant and revokes the access token and refresh token of the first', async (t) => {
  const { app, store, code, body } = await firstUse(t)
  t.equal((await refresh(app, body.refresh_token)).statusCode, 200, 'the refresh token works before the replay')
  t.equal((await getUserinfo(app, body.access_token)).statusCode, 200, '/userinfo accepts the token before the replay')

  t.strictSame(errorOf(await exchange(app, code)), used)

  t.equal(await revoked(store, body.access_token), true, 'access token revoked')
  const after = await getUserinfo(app, body.access_token)
  t.equal(after.statusCode, 401, '/userinfo refuses the token after the replay')
  t.equal(after.json().error, 'invalid_token')
  t.strictSame(errorOf(await refresh(app, body.refresh_token)), {
    status: 400,
    error: 'invalid_grant',
    error_description: 'the refresh token was revoked',
  })
  t.strictSame(errorOf(await exchange(app, code)), used, 'a third use is refused too')
})

t.test('a replay after the code expired still revokes', async (t) => {
  const { app, clock, store, code, body } = await firstUse(t)
  clock.advance(3600)
  t.strictSame(errorOf(await exchange(app, code)), used)
  t.equal(await revoked(store, body.access_token), true)
  t.equal((await refresh(app, body.refresh_token)).json().error, 'invalid_grant')
})

t.test('the replay marker cannot be presented as a code', async (t) => {
  const { app, store, code, body } = await firstUse(t)
  const marker = await exchange(app, `used:${code}`)
  t.strictSame(errorOf(marker), used)
  t.equal(await revoked(store, body.access_token), false)
  // The replay of the real code must still be detected.
  t.strictSame(errorOf(await exchange(app, code)), used)
  t.equal(await revoked(store, body.access_token), true)
})

t.test('a replay also revokes the access tokens obtained by refreshing since', async (t) => {
  const { app, store, code, body } = await firstUse(t)
  const refreshed = await refresh(app, body.refresh_token)
  t.equal(refreshed.statusCode, 200)
  const later = refreshed.json().access_token as string
  t.equal(await revoked(store, later), false, 'valid before the replay')

  t.strictSame(errorOf(await exchange(app, code)), used)
  t.equal(await revoked(store, later), true, 'revoked with its family')
  const res = await getUserinfo(app, later)
  t.equal(res.statusCode, 401)
})
