import t from 'tap'
import { batchedSender } from '../../src/actions/batch.js'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

t.test('what one turn of the event loop sends crosses as one JSON array, in order', async (t) => {
  const posted: string[] = []
  const sender = batchedSender<{ n: number }>((text) => void posted.push(text))
  sender.send({ n: 1 })
  sender.send({ n: 2 })
  t.same(posted, [], 'nothing posted before the turn ends')
  await nextTurn()
  t.same(posted, ['[{"n":1},{"n":2}]'])
  sender.send({ n: 3 })
  await nextTurn()
  await nextTurn()
  t.same(posted, ['[{"n":1},{"n":2}]', '[{"n":3}]'], 'the next turn is a batch of its own')
})

t.test('flush posts what is queued at once, and the scheduled post then has nothing to send', async (t) => {
  const posted: string[] = []
  const sender = batchedSender<string>((text) => void posted.push(text))
  sender.flush()
  t.same(posted, [], 'an empty queue posts nothing')
  sender.send('a')
  sender.flush()
  t.same(posted, ['["a"]'])
  await nextTurn()
  t.same(posted, ['["a"]'], 'no second, empty post')
})
