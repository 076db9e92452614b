// The process's heap sizing: applied by default, left alone when Node was started with its own.
import t from 'tap'
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../src/cli/heap.js'

t.test('limits heap growth when Node was started without a choice of its own', async (t) => {
  const set: string[] = []
  t.equal(limitHeapGrowth(['--enable-source-maps'], (flags) => set.push(flags)), true)
  t.same(set, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`])
})

t.test('keeps the growth chosen on the node command line, in either spelling', async (t) => {
  for (const arg of ['--heap-growing-percent=100', '--heap_growing_percent=10']) {
    const set: string[] = []
    t.equal(limitHeapGrowth([arg], (flags) => set.push(flags)), false, arg)
    t.same(set, [], arg)
  }
})
