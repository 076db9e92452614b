// The page for an unknown client or a redirect_uri that is not a callback says how to fix it in this tenant.
import t from 'tap'
import { createDemoTenant, DEMO_CLIENT_ID } from '../../src/config/demo-tenant.js'
import { buildTestServer, errorPageOf, startAuthorize } from '../helpers/server.js'
import { CALLBACK, tenantWithClient } from '../helpers/tenant.js'

const base = { response_type: 'token', scope: 'openid', state: 'st-1' }

/** The hint sentences and the listed values of an error page. */
function fixOf(html: string) {
  const hints = [...html.matchAll(/<p class="hint"(?: id="fix-list")?>([^<]*)<\/p>/g)].map((m) => m[1])
  const items = [...html.matchAll(/<li><code>([^<]*)<\/code><\/li>/g)].map((m) => m[1])
  return { hints, items }
}

t.test('a redirect_uri that is not a callback: the registered callbacks, escaped, and where to add it', async (t) => {
  const tenant = tenantWithClient('organizer', { callbacks: [CALLBACK, 'https://app.example.com/cb?a=1&b="<x>"'] })
  const { app } = await buildTestServer(t, { tenant, configFile: 'gatehouse.json' })
  const res = await startAuthorize(app, { ...base, client_id: 'organizer', redirect_uri: 'https://app.example.com/"><script>x()</script>' })
  t.equal(res.statusCode, 400)
  t.equal(res.headers.location, undefined)
  t.strictSame(errorPageOf(res.body), {
    error: 'invalid_request',
    description: 'redirect_uri https://app.example.com/"><script>x()</script> is not one of the callbacks of client organizer',
  })
  t.strictSame(fixOf(res.body), {
    hints: [
      'Add https://app.example.com/&quot;&gt;&lt;script&gt;x()&lt;/script&gt; to the &quot;callbacks&quot; of client organizer in gatehouse.json ' +
        '(it must match exactly), or have the application send a registered one.',
      'Registered callbacks of client organizer:',
    ],
    items: ['https://app.example.com/callback', 'https://app.example.com/cb?a=1&amp;b=&quot;&lt;x&gt;&quot;'],
  })
  t.notMatch(res.body, '<script>x()')
  t.notMatch(res.body, '"<x>"')
})

t.test('redirect_uri omitted: the callbacks to choose from, or where to add the first one', async (t) => {
  const tenant = tenantWithClient('single', { callbacks: [] })
  const { app } = await buildTestServer(t, { tenant })
  const several = await startAuthorize(app, { ...base, client_id: 'organizer' })
  t.strictSame(fixOf(several.body), {
    hints: ['Send redirect_uri with one of the registered callbacks.', 'Registered callbacks of client organizer:'],
    items: [CALLBACK, 'https://app.example.com/other?keep=1'],
  })
  const none = await startAuthorize(app, { ...base, client_id: 'single' })
  t.strictSame(fixOf(none.body), {
    hints: ['Add the application&#39;s callback URL to the &quot;callbacks&quot; of client single in the config file.'],
    items: [],
  })
})

t.test('an unknown client: where to add it, with its client_id escaped', async (t) => {
  const { app } = await buildTestServer(t)
  const res = await startAuthorize(app, { ...base, client_id: '<b>nope</b>', redirect_uri: CALLBACK })
  t.equal(res.statusCode, 400)
  t.strictSame(errorPageOf(res.body), { error: 'invalid_client', description: 'unknown client: <b>nope</b>' })
  t.strictSame(fixOf(res.body), {
    hints: [
      'Add a client with &quot;client_id&quot;: &quot;&lt;b&gt;nope&lt;/b&gt;&quot; to &quot;clients&quot; in the config file, ' +
        'or check the client_id the application sends.',
    ],
    items: [],
  })
  t.notMatch(res.body, 'organizer', "a configured tenant's clients are not listed")
})

t.test('on the demo tenant: the known client ids, and how to use your own', async (t) => {
  const { app } = await buildTestServer(t, { tenant: createDemoTenant(), demo: true })
  const unknown = await startAuthorize(app, { ...base, client_id: 'my-app', redirect_uri: 'http://localhost:3000/callback' })
  t.strictSame(fixOf(unknown.body), {
    hints: ['The demo tenant is built in: start Gatehouse with --config FILE to use your own clients.', 'Clients of the demo tenant:'],
    items: [DEMO_CLIENT_ID],
  })
  const mismatch = await startAuthorize(app, { ...base, client_id: DEMO_CLIENT_ID, redirect_uri: 'http://localhost:5173/callback' })
  t.strictSame(fixOf(mismatch.body), {
    hints: [
      'The demo tenant is built in: start Gatehouse with --config FILE to use your own clients. ' +
        'Add http://localhost:5173/callback to the &quot;callbacks&quot; of client gatehouse-demo-spa in your config file ' +
        '(it must match exactly), or have the application send a registered one.',
      'Registered callbacks of client gatehouse-demo-spa:',
    ],
    items: ['http://localhost:3000/callback', 'http://localhost:3000'],
  })
})
