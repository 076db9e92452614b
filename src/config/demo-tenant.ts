// The tenant used when no config file is given, so `npm start` works with nothing to set up.

import type { Tenant } from './types.js'

export const DEMO_CLIENT_ID = 'gatehouse-demo-spa'
export const DEMO_CALLBACK = 'http://localhost:3000/callback'
export const DEMO_AUDIENCE = 'demo:api'

/** A fresh object each call, so callers may change it without affecting anyone else. */
export function createDemoTenant(): Tenant {
  return {
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        name: 'Demo SPA',
        app_type: 'spa',
        callbacks: [DEMO_CALLBACK, 'http://localhost:3000'],
        allowed_logout_urls: ['http://localhost:3000'],
        web_origins: ['http://localhost:3000'],
        grant_types: ['implicit', 'authorization_code', 'refresh_token'],
        // third party, so the consent page is part of the demo
        is_first_party: false,
        token_endpoint_auth_method: 'none',
        refresh_token: { rotation_type: 'rotating' }
      }
    ],
    resource_servers: [
      {
        identifier: DEMO_AUDIENCE,
        name: 'Demo API',
        scopes: [
          { value: 'read:items', description: 'Read your items' },
          { value: 'write:items', description: 'Create and change your items' }
        ],
        token_lifetime: 86400,
        token_lifetime_for_web: 7200,
        signing_alg: 'RS256',
        skip_consent_for_verifiable_first_party_clients: true,
        // lets the demo show refresh tokens (offline_access)
        allow_offline_access: true
      },
      {
        // served by Gatehouse itself at <issuer>demo-api/appointments (src/demo-api), for the playground
        identifier: 'appointments:api',
        name: 'Appointments API (demo, served by Gatehouse)',
        scopes: [
          { value: 'read:appointments', description: 'Read your appointments' },
          { value: 'write:appointments', description: 'Book and cancel your appointments' }
        ],
        token_lifetime: 86400,
        token_lifetime_for_web: 7200,
        signing_alg: 'RS256',
        skip_consent_for_verifiable_first_party_clients: true,
        allow_offline_access: true
      }
    ],
    users: [
      {
        user_id: 'auth0|alice',
        email: 'alice@example.com',
        username: 'alice',
        password: 'wonderland',
        email_verified: true,
        name: 'Alice Liddell',
        given_name: 'Alice',
        family_name: 'Liddell',
        nickname: 'alice'
      },
      {
        user_id: 'auth0|bob',
        email: 'bob@example.com',
        username: 'bob',
        password: 'builder',
        email_verified: true,
        name: 'Bob Builder',
        given_name: 'Bob',
        family_name: 'Builder',
        nickname: 'bob'
      }
    ],
    client_grants: []
  }
}
