// Revoking a refresh token (RFC 7009 §2.1) deletes it and revokes every refresh token of the same login.
import t from 'tap'
import { isFamilyRevoked } from '../../src/grants/revocation.js'
import { buildServerWithStore, postForm } from '../helpers/server.js'
import { BACKEND_BASIC, postOAuth, postToken, seedRefreshToken } from '../helpers/tokens.js'

t.test('own refresh token: 200, empty body, token gone, its family revoked', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  await seedRefreshToken(store, 'rt-1', { family: 'fam-a' })
  await seedRefreshToken(store, 'rt-2', { family: 'fam-a' })
  await seedRefreshToken(store, 'rt-other', { family: 'fam-b' })

  const res = await postOAuth(app, '/oauth/revoke', { token: 'rt-1', token_type_hint: 'refresh_token' }, { authorization: BACKEND_BASIC })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '')
  t.equal(res.headers['cache-control'], 'no-store')
  t.equal(await store.get('refresh_token', 'rt-1'), undefined)
  t.equal(await isFamilyRevoked(store, 'fam-a'), true)
  t.equal(await isFamilyRevoked(store, 'fam-b'), false, 'other logins keep their tokens')

  // The sibling of the same login no longer works at the token endpoint.
  const refresh = await postToken(app, { grant_type: 'refresh_token', refresh_token: 'rt-2' }, { authorization: BACKEND_BASIC })
  t.equal(refresh.statusCode, 400)
  t.equal(refresh.json().error, 'invalid_grant')
})

t.test('a public client revokes with its client_id only, as at Auth0', async (t) => {
  const { app, store } = await buildServerWithStore(t)
  await seedRefreshToken(store, 'rt-spa', { clientId: 'organizer', family: 'fam-spa' })
  const res = await postForm(app, '/oauth/revoke', { client_id: 'organizer', token: 'rt-spa' })
  t.equal(res.statusCode, 200)
  t.equal(await isFamilyRevoked(store, 'fam-spa'), true)
})

t.test('the family stays revoked as long as a refresh token can live (config.ttl.refresh_token)', async (t) => {
  const { app, clock, store } = await buildServerWithStore(t)
  await seedRefreshToken(store, 'rt-1', { family: 'fam-a' })
  await postOAuth(app, '/oauth/revoke', { token: 'rt-1' }, { authorization: BACKEND_BASIC })
  clock.advance(2592000 - 1)
  t.equal(await isFamilyRevoked(store, 'fam-a'), true)
  clock.advance(1)
  t.equal(await isFamilyRevoked(store, 'fam-a'), false)
})
