// clients[].refresh_token.leeway: Auth0's reuse interval, whole seconds from 0 to 3600.
import t from 'tap'
import { loadConfig } from '../../src/config/load.js'
import { configFileErrorOf, writeConfigFile } from '../helpers/config.js'

const spa = (leeway: unknown) => ({
  client_id: 'organizer',
  name: 'Organizer',
  callbacks: ['http://localhost:3000/callback'],
  refresh_token: { rotation_type: 'rotating', leeway },
})

t.test('a leeway is kept on the client', async (t) => {
  const file = writeConfigFile(t, { clients: [spa(30)] })
  t.strictSame(loadConfig({}, ['--config', file]).tenant.clients[0]!.refresh_token, { rotation_type: 'rotating', leeway: 30 })
})

const refused: [unknown, string][] = [
  [-1, 'must be >= 0'],
  [3601, 'must be <= 3600'],
  [1.5, 'must be an integer'],
  ['30', 'must be an integer'],
]
for (const [bad, why] of refused) {
  t.test(`a leeway of ${JSON.stringify(bad)} is refused, naming the key`, async (t) => {
    const { file, message } = configFileErrorOf(t, { clients: [spa(bad)] })
    t.equal(message, `${file}: clients[0].refresh_token.leeway: ${why}`)
  })
}
