// One playground flow's share of the event log: the decisions Gatehouse made for it, in order.
import type { EventLog, ProtocolEvent } from '../events/event-log.js'
import { PLAYGROUND_CLIENT_ID } from './urls.js'

/** The most events one timeline shows: a flow makes a handful, a page that stays open a few more. */
export const TIMELINE_LIMIT = 50

export interface FlowFilter {
  /** the state the flow's /authorize request carried */
  state?: string
  /** when the flow started (ms since the epoch): token endpoint and demo API calls carry no state */
  since?: number
}

const STATELESS: readonly ProtocolEvent['kind'][] = ['token.issued', 'token.error', 'api.allowed', 'api.refused']

/** The playground client's events for one flow: those with its state, plus its token and API calls since it started. */
export function flowTimeline(events: EventLog, filter: FlowFilter): ProtocolEvent[] {
  const mine = events.list({ client_id: PLAYGROUND_CLIENT_ID })
  const ofFlow = mine.filter(
    (e) =>
      (filter.state !== undefined && e.state === filter.state) ||
      (filter.since !== undefined && e.at >= filter.since && STATELESS.includes(e.kind)),
  )
  return ofFlow.slice(-TIMELINE_LIMIT)
}
