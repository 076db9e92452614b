// Whatever arrives, the Management API answers in Auth0's error shape and never with a 500.
import t from 'tap'
import { buildManagementServer } from './helpers.js'

const { app, token } = await buildManagementServer(t)

const ROUTES: [string, string][] = [
  ['POST', '/users'],
  ['PATCH', '/users/auth0%7Calice'],
  ['POST', '/clients'],
  ['PATCH', '/clients/organizer'],
  ['POST', '/resource-servers'],
  ['PATCH', '/resource-servers/appointments:api'],
  ['POST', '/client-grants'],
  ['POST', '/clients/organizer/rotate-secret'],
]

const BODIES = [
  'null',
  '"text"',
  '42',
  '[]',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{}}}',
  '{"email":{"$ne":null}}',
  '{"app_metadata":"x"}',
  '{"scopes":[null]}',
  '{"callbacks":"https://x.example.com/cb"}',
  '{"connection":"Username-Password-Authentication","email":"a@b.co","password":"x","user_metadata":{"k":"\\u0000"}}',
  JSON.stringify({ name: 'x'.repeat(60000) }),
]

t.test('odd JSON bodies: 2xx or a 4xx in Auth0\'s shape', async (t) => {
  for (const [method, path] of ROUTES) {
    for (const payload of BODIES) {
      const res = await app.inject({
        method: method as 'POST' | 'PATCH',
        url: `/api/v2${path}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload,
      })
      const label = `${method} ${path} ${payload.slice(0, 40)}`
      t.ok(res.statusCode < 500, `${label}: ${res.statusCode}`)
      if (res.statusCode >= 400) t.match(res.json(), { statusCode: res.statusCode, error: String, message: String }, label)
    }
  }
  t.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted')
})

t.test('other media types, empty bodies, repeated and odd query parameters, long ids', async (t) => {
  const headers = { authorization: `Bearer ${token}` }
  const requests = [
    { method: 'POST', url: '/api/v2/users', headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' },
    { method: 'POST', url: '/api/v2/users', headers: { ...headers, 'content-type': 'application/xml' }, payload: '<a/>' },
    { method: 'POST', url: '/api/v2/users', headers: { ...headers, 'content-type': 'application/json' }, payload: '' },
    { method: 'POST', url: '/api/v2/users', headers },
    { method: 'GET', url: '/api/v2/users?page=1&page=2', headers },
    { method: 'GET', url: '/api/v2/users?q=email%3A%22%22', headers },
    { method: 'GET', url: '/api/v2/users?q=%22', headers },
    { method: 'GET', url: '/api/v2/users?per_page=1e3', headers },
    { method: 'GET', url: '/api/v2/grants?user_id=', headers },
    { method: 'GET', url: `/api/v2/users/${'a'.repeat(300)}`, headers },
    { method: 'GET', url: '/api/v2/users/%E0%A4%A', headers },
    { method: 'DELETE', url: `/api/v2/grants/${'A'.repeat(200)}`, headers },
    { method: 'GET', url: '/api/v2/resource-servers/%F0%9F%98%80', headers },
  ] as const
  for (const request of requests) {
    const res = await app.inject(request)
    t.ok(res.statusCode < 500, `${request.method} ${request.url}: ${res.statusCode}`)
    if (res.statusCode >= 400) t.match(res.json(), { statusCode: res.statusCode, error: String, message: String }, `${request.method} ${request.url}`)
  }
})
