// A client may only use the grant types it was registered with (RFC 6749 §5.2 unauthorized_client).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK, testTenant } from '../helpers/tenant.js'
import { errorOf, postToken } from '../helpers/token.js'

const { app } = await buildTestServer(t)

const cases: [string, Record<string, string>][] = [
  ['client_credentials', { audience: 'appointments:api' }],
  ['password', { username: 'alice', password: 'wonderland' }],
]

for (const [grantType, extra] of cases) {
  t.test(`organizer may not use ${grantType}`, async (t) => {
    const res = await postToken(app, { grant_type: grantType, client_id: 'organizer', ...extra })
    t.strictSame(errorOf(res), {
      status: 400,
      error: 'unauthorized_client',
      error_description: `client organizer is not allowed the ${grantType} grant`,
    })
  })
}

t.test('code-only may not use refresh_token', async (t) => {
  const res = await postToken(app, { grant_type: 'refresh_token', client_id: 'code-only', refresh_token: 'x' })
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'unauthorized_client',
    error_description: 'client code-only is not allowed the refresh_token grant',
  })
})

t.test('the grant type is checked before the code', async (t) => {
  const tenant = testTenant()
  tenant.clients = tenant.clients.map((c) => (c.client_id === 'organizer' ? { ...c, grant_types: ['implicit'] } : c))
  const { app } = await buildTestServer(t, { tenant })
  const res = await postToken(app, { grant_type: 'authorization_code', client_id: 'organizer', code: 'x', redirect_uri: CALLBACK })
  t.equal(res.json().error, 'unauthorized_client')
})
