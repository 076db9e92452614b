// What an anonymous /authorize may cost is bounded: a flood of them with parameters near their
// length limits stays within the interaction budget, evicts only its own kind, and a login page
// a browser opened before the flood still works.
import t from 'tap'
import { createMemoryStore } from '../../src/store/index.js'
import { MAX_PARAM_LENGTH } from '../../src/authorize/params.js'
import { buildTestServer, fakeClock, fragmentOf, openLogin, postForm, sessionCookie, startAuthorize } from '../helpers/server.js'
import { CALLBACK } from '../helpers/tenant.js'
import { codeGrant, obtainCode, organizerRequest, postToken } from '../helpers/tokens.js'

const BUDGET = 200_000
const request = { client_id: 'organizer', redirect_uri: CALLBACK, response_type: 'id_token', scope: 'openid', nonce: 'n-1', state: 'st-1' }
const long = (c: string) => c.repeat(MAX_PARAM_LENGTH)
const flood = {
  ...request,
  state: long('s'),
  nonce: long('n'),
  login_hint: long('l'),
  ui_locales: long('u'),
  acr_values: long('a'),
  display: long('d'),
}

t.test('a flood of anonymous requests keeps to its budget and spares a page a browser opened', async (t) => {
  const clock = fakeClock()
  const store = createMemoryStore({ clock, budgets: { interaction: BUDGET } })
  const { app } = await buildTestServer(t, {}, clock, { store })

  const unspentCode = await obtainCode(app, organizerRequest())
  const opened = String((await startAuthorize(app, request)).headers.location)
  const page = await openLogin(app, opened)
  t.equal(page.page.statusCode, 200)

  for (let i = 0; i < 400; i++) {
    const res = await startAuthorize(app, flood)
    t.equal(res.statusCode, 303)
  }
  const held = (await store.list('interaction')).reduce((sum: number, value) => sum + JSON.stringify(value).length, 0)
  t.ok(held <= BUDGET, `interactions hold ${held} characters, within the budget of ${BUDGET}`)
  t.ok((await store.list('interaction')).length < 400, 'older flood entries were evicted')

  const login = await postForm(app, opened, { csrf: page.csrf, username: 'alice', password: 'wonderland' }, page.cookie)
  t.equal(login.statusCode, 303, 'the page opened before the flood still signs in')
  const done = await app.inject({ url: String(login.headers.location), headers: { cookie: `${page.cookie}; ${sessionCookie(login)}` } })
  t.equal(done.statusCode, 303)
  t.equal(fragmentOf(String(done.headers.location)).state, 'st-1')
  t.type(fragmentOf(String(done.headers.location)).id_token, 'string')

  t.equal((await postToken(app, codeGrant(unspentCode))).statusCode, 200, 'a code issued before the flood is still redeemable')
})

t.test('a paused request keeps only the parameters its resumption reads', async (t) => {
  const clock = fakeClock()
  const store = createMemoryStore({ clock })
  const { app } = await buildTestServer(t, {}, clock, { store })
  await startAuthorize(app, flood)
  const [saved] = await store.list<{ params: Record<string, string> }>('interaction')
  t.strictSame(Object.keys(saved!.params).sort(), ['client_id', 'login_hint', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state'])
})
