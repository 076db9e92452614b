// No input makes /authorize, the login or the consent page fail with a 5xx.
import t from 'tap'
import type { InjectOptions } from 'fastify'
import { buildTestServer, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'

const { app } = await buildTestServer(t)
const valid = new URLSearchParams({ client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'token', scope: 'openid', state: 's' })
// the same without scope and state, for cases that add their own
const partial = new URLSearchParams({ client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'token' })
const loginPath = String((await startAuthorize(app, Object.fromEntries(valid))).headers.location)
const form = { 'content-type': 'application/x-www-form-urlencoded' }
const json = { 'content-type': 'application/json' }

const cases: [string, InjectOptions][] = [
  ['a very long query', { url: `/authorize?${valid}&x=${'a'.repeat(100_000)}` }],
  ['a very long client_id', { url: `/authorize?client_id=${'a'.repeat(100_000)}` }],
  ['a very long state', { url: `/authorize?${partial}&state=${'s'.repeat(100_000)}` }],
  ['many parameters', { url: `/authorize?${valid}&${Array.from({ length: 2000 }, (_, i) => `p${i}=${i}`).join('&')}` }],
  ['client_id[]=x', { url: `/authorize?client_id[]=x&redirect_uri[]=${CALLBACK}` }],
  ['client_id[a]=x', { url: '/authorize?client_id[a]=x' }],
  ['%00 everywhere', { url: `/authorize?client_id=organizer%00&redirect_uri=${encodeURIComponent(CALLBACK)}%00&state=%00` }],
  ['%00 in a valid request', { url: `/authorize?${partial}&nonce=%00&scope=openid%00&state=%00` }],
  ['a broken percent-encoding', { url: '/authorize?client_id=%E0%A4%A&redirect_uri=%' }],
  ['a lone surrogate', { url: `/authorize?${valid}&nonce=%ED%A0%80` }],
  ['unicode', { url: `/authorize?client_id=${encodeURIComponent('客户端🦄')}&scope=${encodeURIComponent('openid ✓')}` }],
  ['unicode scope on a valid client', { url: `/authorize?${partial}&scope=${encodeURIComponent('openid ✓')}` }],
  ['unicode redirect_uri', { url: `/authorize?client_id=organizer&redirect_uri=${encodeURIComponent('https://app.example.com/caf\u00e9')}` }],
  ['a redirect_uri that is not a URL', { url: '/authorize?client_id=organizer&redirect_uri=%3A%3A%3A' }],
  ['__proto__ parameters', { url: `/authorize?${valid}&__proto__=x&constructor=y&hasOwnProperty=z` }],
  ['max_age huge', { url: `/authorize?${valid}&max_age=9999999999` }],
  ['scope of spaces', { url: `/authorize?${partial}&scope=+++` }],
  ['a JSON body', { method: 'POST', url: '/authorize', headers: json, payload: JSON.stringify(Object.fromEntries(valid)) }],
  ['a JSON body with non-strings', { method: 'POST', url: '/authorize', headers: json, payload: '{"client_id":{"$ne":1},"redirect_uri":[1,2],"state":7}' }],
  ['a JSON body with numbers', { method: 'POST', url: '/authorize', headers: json, payload: `{"client_id":"organizer","redirect_uri":"${CALLBACK}","response_type":1,"max_age":5}` }],
  ['a JSON null body', { method: 'POST', url: '/authorize', headers: json, payload: 'null' }],
  ['a JSON string body', { method: 'POST', url: '/authorize', headers: json, payload: '"client_id"' }],
  ['a JSON __proto__ body', { method: 'POST', url: '/authorize', headers: json, payload: '{"__proto__":{"client_id":"organizer"}}' }],
  ['malformed JSON', { method: 'POST', url: '/authorize', headers: json, payload: '{"client_id":' }],
  ['an empty JSON body', { method: 'POST', url: '/authorize', headers: json, payload: '' }],
  ['an empty form body', { method: 'POST', url: '/authorize', headers: form, payload: '' }],
  ['an empty body without a content type', { method: 'POST', url: '/authorize' }],
  ['a text body', { method: 'POST', url: '/authorize', headers: { 'content-type': 'text/plain' }, payload: String(valid) }],
  ['an unknown content type', { method: 'POST', url: '/authorize', headers: { 'content-type': 'application/xml' }, payload: '<a/>' }],
  ['a body over the limit', { method: 'POST', url: '/authorize', headers: form, payload: `${valid}&x=${'a'.repeat(70_000)}` }],
  ['a form body with arrays', { method: 'POST', url: '/authorize', headers: form, payload: `${valid}&client_id=organizer` }],
  ['resume of a long uid', { url: `/authorize/resume/${'u'.repeat(300)}` }],
  ['resume of a strange uid', { url: '/authorize/resume/%00%2F..' }],
  ['login with a JSON body', { method: 'POST', url: loginPath, headers: json, payload: '{"username":{"a":1},"password":[1],"csrf":null}' }],
  ['login with an empty body', { method: 'POST', url: loginPath }],
  ['login with a long uid', { url: `/login/${'u'.repeat(300)}` }],
  ['consent with a JSON body', { method: 'POST', url: loginPath.replace('/login/', '/consent/'), headers: json, payload: '{"decision":["allow"],"csrf":1}' }],
  ['consent with an empty body', { method: 'POST', url: loginPath.replace('/login/', '/consent/') }],
]

for (const [name, options] of cases) {
  t.test(name, async (t) => {
    const res = await app.inject(options)
    t.ok(res.statusCode < 500, `status ${res.statusCode}`)
    t.notMatch(res.body, /server_error|internal server error/i)
  })
}

t.test('a JSON body gets the same answer as the query', async (t) => {
  const params = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'token', scope: 'nope', state: 's' }
  const res = await app.inject({ method: 'POST', url: '/authorize', headers: json, payload: JSON.stringify(params) })
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, (await startAuthorize(app, params)).headers.location)
})
