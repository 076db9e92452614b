// The api object built in the Action thread for each run: what it records, and that building it
// leaves nothing behind that outlives the run.
import t from 'tap'
import { createApi } from '../../src/actions/worker-api.js'

const context = { now: 1_000_000, cache: {}, tokenIssuer: 'gatehouse.test' }

t.test('the groups Gatehouse only accepts come from getters every run shares, and record per run', async (t) => {
  const first = createApi('onExecutePostLogin', {}, context)
  const second = createApi('onExecutePostLogin', {}, context)
  // getters defined per run would give V8 new hidden classes per run, kept until a full collection
  t.equal(Object.getOwnPropertyDescriptor(first.api, 'session'), undefined)
  t.equal(Object.getPrototypeOf(first.api), Object.getPrototypeOf(second.api))
  const session = first.api.session as Record<string, () => unknown>
  t.equal(first.api.session, session, 'a group is built once per run')
  t.equal(session.revoke!(), first.api, 'its methods chain like the others')
  t.same(first.commands, [{ type: 'ignored', method: 'session.revoke' }])
  t.same(second.commands, [], 'another run records nothing of it')
  t.ok('samlResponse' in second.api)
})

t.test('credentials-exchange has no such groups', async (t) => {
  const { api } = createApi('onExecuteCredentialsExchange', {}, context)
  t.notOk('session' in api)
  t.same(Object.keys(api).sort(), ['access', 'accessToken', 'cache'])
})
