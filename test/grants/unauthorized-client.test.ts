// A client may only use the grant types it was registered with (RFC 6749 §5.2 unauthorized_client).
import t from 'tap'
import { buildTestServer } from '../helpers/server.js'
import { CALLBACK, tenantWithClient } from '../helpers/tenant.js'
import { errorOf, postToken } from '../helpers/tokens.js'

const { app } = await buildTestServer(t)

const cases: [string, string, Record<string, string>][] = [
  ['organizer', 'client_credentials', { audience: 'appointments:api' }],
  ['organizer', 'password', { username: 'alice', password: 'wonderland' }],
  ['code-only', 'refresh_token', { refresh_token: 'x' }],
]

for (const [clientId, grantType, extra] of cases) {
  t.test(`${clientId} may not use ${grantType}`, async (t) => {
    const res = await postToken(app, { grant_type: grantType, client_id: clientId, ...extra })
    t.strictSame(errorOf(res), {
      status: 400,
      error: 'unauthorized_client',
      error_description: `client ${clientId} is not allowed the ${grantType} grant`,
    })
  })
}

t.test('the grant type is checked before the code', async (t) => {
  const tenant = tenantWithClient('organizer', { grant_types: ['implicit'] })
  const { app } = await buildTestServer(t, { tenant })
  const res = await postToken(app, { grant_type: 'authorization_code', client_id: 'organizer', code: 'x', redirect_uri: CALLBACK })
  t.strictSame(errorOf(res), {
    status: 400,
    error: 'unauthorized_client',
    error_description: 'client organizer is not allowed the authorization_code grant',
  })
})
