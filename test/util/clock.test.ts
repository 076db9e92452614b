import t from 'tap'
import { epochSeconds } from '../../src/util/clock.js'

t.test('epochSeconds floors milliseconds to whole seconds', async (t) => {
  t.equal(epochSeconds({ now: () => 1_700_000_000_999 }), 1_700_000_000)
})
