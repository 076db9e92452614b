// On every start the config's tenant is written over what the store holds (the file wins for what it
// names); what was created at runtime (sessions, consents, tokens) is kept.
import t from 'tap'
import { createMemoryStore } from '../../src/store/index.js'
import { seedTenant } from '../../src/tenant/seed.js'
import { findUserByLogin } from '../../src/tenant/users.js'
import { alice, testTenant } from '../helpers/tenant.js'

const opts = { newId: () => 'generated', log: () => {} }

t.test('a restart with a changed config applies it and keeps runtime state', async (t) => {
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const tenant = testTenant()
  await seedTenant(store, tenant, opts)
  await store.set('session', 's1', { id: 's1', sub: alice.user_id })
  await store.set('grant', 'g1', { sub: alice.user_id, scopes: ['openid'] })
  await store.set('refresh_token', 'rt1', { sub: alice.user_id }, 3600)

  const renamed = { ...alice, email: 'alice@new.example.com', username: 'alice2', name: 'Alice Renamed' }
  const client = { ...tenant.clients[0]!, name: 'Renamed app' }
  await seedTenant(store, { ...tenant, clients: [client, ...tenant.clients.slice(1)], users: [renamed, ...tenant.users.slice(1)] }, opts)

  t.equal((await store.get<{ name: string }>('client', client.client_id))?.name, 'Renamed app', 'the file wins for a client')
  t.equal((await findUserByLogin(store, 'alice@new.example.com'))?.name, 'Alice Renamed', 'the new email finds the user')
  t.equal((await findUserByLogin(store, 'alice2'))?.user_id, alice.user_id, 'so does the new username')
  t.equal(await findUserByLogin(store, alice.email!), undefined, 'the old email no longer does')
  t.equal(await findUserByLogin(store, alice.username!), undefined, 'nor the old username')
  t.same(await store.get('session', 's1'), { id: 's1', sub: alice.user_id }, 'sessions are kept')
  t.same(await store.get('grant', 'g1'), { sub: alice.user_id, scopes: ['openid'] }, 'consents are kept')
  t.same(await store.get('refresh_token', 'rt1'), { sub: alice.user_id }, 'refresh tokens are kept')
})

t.test('an email another user took over is not removed with the old owner', async (t) => {
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const tenant = testTenant()
  await seedTenant(store, tenant, opts)
  const bob = tenant.users.find((u) => u.user_id !== alice.user_id)!
  // alice gives up her email and bob takes it, in one config change
  const users = [
    { ...alice, email: 'alice@new.example.com' },
    { ...bob, email: alice.email },
  ]
  await seedTenant(store, { ...tenant, users }, opts)
  t.equal((await findUserByLogin(store, alice.email!))?.user_id, bob.user_id)
})

t.test('what an earlier config named and this one drops is forgotten; what was made at runtime is kept', async (t) => {
  const store = createMemoryStore()
  t.teardown(() => store.close())
  const tenant = testTenant()
  await seedTenant(store, tenant, opts)
  // made at runtime, not by the config
  await store.set('user', 'auth0|runtime', { user_id: 'auth0|runtime' })
  await store.set('client', 'runtime-app', { client_id: 'runtime-app' })
  const [droppedClient, ...clients] = tenant.clients
  const [droppedApi, ...apis] = tenant.resource_servers
  const users = tenant.users.filter((u) => u.user_id !== alice.user_id)
  const grants = tenant.client_grants.filter((g) => g.audience !== droppedApi!.identifier)
  await seedTenant(store, { ...tenant, clients, resource_servers: apis, users, client_grants: grants }, opts)

  t.equal(await store.get('client', droppedClient!.client_id), undefined, 'the dropped client')
  t.equal(await store.get('resource_server', droppedApi!.identifier), undefined, 'the dropped API')
  t.equal(await store.get('user', alice.user_id), undefined, 'the dropped user')
  t.equal(await findUserByLogin(store, alice.email!), undefined, 'and the look-ups that found her')
  t.equal(await store.count('client_grant'), grants.length, 'the dropped API’s client grants')
  t.same(await store.get('user', 'auth0|runtime'), { user_id: 'auth0|runtime' }, 'a user made at runtime stays')
  t.same(await store.get('client', 'runtime-app'), { client_id: 'runtime-app' }, 'so does a client')
  t.equal(await store.count('client'), clients.length + 1)
})
