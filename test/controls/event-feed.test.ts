// The event log as a feed: numbered events, filters by type and user, and readers waiting for the next one.
import t from 'tap'
import { createEventLog, TooManyWaiters } from '../../src/events/event-log.js'
import { fakeClock } from '../helpers/server.js'

t.test('ids go up by one and survive clear(); list() keeps the timeline’s shape', async (t) => {
  const log = createEventLog({ clock: fakeClock(), capacity: 2 })
  log.record({ kind: 'login.failed', summary: 'one' })
  log.record({ kind: 'login.succeeded', user_id: 'u', summary: 'two' })
  log.record({ kind: 'logout', user_id: 'u', summary: 'three' })
  t.strictSame(log.feed().map((e) => [e.id, e.summary]), [
    [2, 'two'],
    [3, 'three'],
  ])
  t.notOk('id' in log.list()[0]!, 'no id in list()')
  t.equal(log.lastId(), 3)
  log.clear()
  t.strictSame(log.feed(), [])
  log.record({ kind: 'logout', summary: 'four' })
  t.strictSame(log.feed().map((e) => e.id), [4])
})

t.test('filters: after an id, by kind or group, by user, at most a limit', async (t) => {
  const log = createEventLog({ clock: fakeClock() })
  log.record({ kind: 'login.failed', summary: '1' })
  log.record({ kind: 'login.succeeded', user_id: 'alice', summary: '2' })
  log.record({ kind: 'token.issued', user_id: 'alice', summary: '3' })
  log.record({ kind: 'logout', user_id: 'bob', summary: '4' })
  const summaries = (filter: Parameters<typeof log.feed>[0]) => log.feed(filter).map((e) => e.summary)
  t.strictSame(summaries({ after: 2 }), ['3', '4'])
  t.strictSame(summaries({ kinds: ['login'] }), ['1', '2'])
  t.strictSame(summaries({ kinds: ['login.failed', 'logout'] }), ['1', '4'])
  t.strictSame(summaries({ kinds: ['log'] }), [], 'a group is a whole name before the dot')
  t.strictSame(summaries({ user_id: 'alice' }), ['2', '3'])
  t.strictSame(summaries({ limit: 3, after: 1 }), ['2', '3', '4'])
  t.strictSame(summaries({ limit: 1, after: 1 }), ['2'])
})

t.test('waitFor: at once when there is a match, else on the next matching event, else [] at the deadline', async (t) => {
  const log = createEventLog({ clock: fakeClock() })
  log.record({ kind: 'logout', summary: 'old' })
  t.strictSame((await log.waitFor({ kinds: ['logout'] }, 10_000)).map((e) => e.summary), ['old'])
  const waiting = log.waitFor({ after: 1, kinds: ['logout'] }, 10_000)
  log.record({ kind: 'login.failed', summary: 'not this' })
  log.record({ kind: 'logout', summary: 'this' })
  t.strictSame((await waiting).map((e) => e.summary), ['this'])
  t.strictSame(await log.waitFor({ after: 99 }, 5), [], 'nothing within the wait')
  const aborted = new AbortController()
  const gone = log.waitFor({ after: 99 }, 10_000, aborted.signal)
  aborted.abort()
  t.strictSame(await gone, [])
  const closing = log.waitFor({ after: 99 }, 10_000)
  log.releaseWaiters()
  t.strictSame(await closing, [])
})

t.test('the number of waiting readers is bounded', async (t) => {
  const log = createEventLog({ clock: fakeClock(), maxWaiters: 2 })
  const waiters = [log.waitFor({ after: 0 }, 10_000), log.waitFor({ after: 0 }, 10_000)]
  await t.rejects(log.waitFor({ after: 0 }, 10_000), TooManyWaiters)
  log.record({ kind: 'logout', summary: 'go' })
  t.strictSame((await Promise.all(waiters)).map((events) => events.length), [1, 1])
  t.strictSame((await log.waitFor({ after: 0 }, 10_000)).length, 1, 'room again')
})
