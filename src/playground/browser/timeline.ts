// The timeline of one flow: Gatehouse's own decisions (from its event log) drawn as a sequence diagram of
// the four parties — the browser, the app (this playground), Gatehouse and the API. Plain HTML and CSS.
import type { ProtocolEvent } from '../../events/event-log.js'
import type { PageData } from '../page-data.js'
import { h } from './dom.js'
import type { Pending } from './session.js'

const LANES = ['Browser', 'App (playground)', 'Gatehouse', 'API'] as const
type Lane = 1 | 2 | 3 | 4

/** Who tells whom, for each kind of decision. */
const ARROWS: Record<ProtocolEvent['kind'], { from: Lane; to: Lane; title: string }> = {
  'authorize.interaction': { from: 3, to: 1, title: 'shows a page' },
  'authorize.issued': { from: 3, to: 2, title: 'answers the app' },
  'authorize.error': { from: 3, to: 2, title: 'answers with an error' },
  'authorize.error-page': { from: 3, to: 1, title: 'shows an error page' },
  'login.succeeded': { from: 1, to: 3, title: 'login form' },
  'login.failed': { from: 1, to: 3, title: 'login form' },
  'consent.allowed': { from: 1, to: 3, title: 'consent form' },
  'consent.denied': { from: 1, to: 3, title: 'consent form' },
  'token.issued': { from: 3, to: 2, title: 'token endpoint' },
  'token.error': { from: 3, to: 2, title: 'token endpoint' },
  'api.allowed': { from: 4, to: 2, title: 'demo API' },
  'api.refused': { from: 4, to: 2, title: 'demo API' },
  logout: { from: 1, to: 3, title: 'logout' },
  'management.changed': { from: 2, to: 3, title: 'Management API' },
  'action.executed': { from: 3, to: 3, title: 'runs an Action' },
  'action.failed': { from: 3, to: 3, title: 'runs an Action' },
  'scenario.applied': { from: 3, to: 2, title: 'test scenario' },
  'controls.reset': { from: 2, to: 3, title: 'test controls' },
}

const FAILED = new Set<ProtocolEvent['kind']>(['authorize.error', 'authorize.error-page', 'login.failed', 'consent.denied', 'token.error', 'api.refused', 'action.failed'])

/** A section that loads the flow's events and redraws them when asked (after each demo API call). */
export function timelineView(data: PageData, pending: Pending): HTMLElement {
  const diagram = h('div', { class: 'seq-body' }, h('p', { class: 'muted' }, 'Loading…'))
  const section = h(
    'section',
    { id: 'timeline' },
    h('h2', {}, 'Timeline: what Gatehouse decided'),
    h('p', {}, 'Read from Gatehouse’s event log: every decision it made for this flow (matched by its state, plus the token endpoint and demo API calls since the flow started). No tokens, codes or passwords are ever recorded.'),
    diagram,
    h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'timeline-refresh', onclick: () => void load() }, 'Refresh the timeline')),
  )
  const load = async () => {
    try {
      diagram.replaceChildren(sequence(pending, await fetchEvents(data, pending)))
    } catch (err) {
      diagram.replaceChildren(h('p', { class: 'error' }, `The timeline could not be loaded: ${(err as Error).message}`))
    }
  }
  section.addEventListener('timeline:refresh', () => void load())
  void load()
  return section
}

/** Redraws the timelines on this page (e.g. after a call to the demo API added an event). */
export function refreshTimelines(): void {
  document.querySelectorAll('#timeline').forEach((section) => section.dispatchEvent(new Event('timeline:refresh')))
}

async function fetchEvents(data: PageData, pending: Pending): Promise<ProtocolEvent[]> {
  const query = new URLSearchParams({ since: String(pending.startedAt) })
  // token-endpoint flows carry no state; the others are matched by it
  if (pending.responseType !== undefined) query.set('state', pending.state)
  const res = await fetch(`${data.endpoints.backendTimeline}?${query}`)
  const body = (await res.json()) as { events?: ProtocolEvent[]; error?: string; error_description?: string }
  if (!res.ok || !body.events) throw new Error(`${body.error}: ${body.error_description}`)
  return body.events
}

function sequence(pending: Pending, events: ProtocolEvent[]): HTMLElement {
  const head = h('div', { class: 'seq-row seq-head' }, h('span', { class: 'seq-time' }), h('div', { class: 'seq-lanes' }, LANES.map((name) => h('span', { class: 'seq-lane' }, name))))
  const start = h('div', { class: 'seq-row', 'data-kind': 'start' }, h('span', { class: 'seq-time' }, '0.0 s'), lanes(2, 3, 'the app starts the flow', startText(pending)))
  const rows = events.map((event) =>
    h(
      'div',
      { class: `seq-row${FAILED.has(event.kind) ? ' failed' : ''}`, 'data-kind': event.kind },
      h('span', { class: 'seq-time' }, `${((event.at - pending.startedAt) / 1000).toFixed(1)} s`),
      lanes(ARROWS[event.kind].from, ARROWS[event.kind].to, ARROWS[event.kind].title, event.summary, event.detail),
    ),
  )
  const empty = events.length === 0 ? h('p', { class: 'muted' }, 'No decisions recorded for this flow (yet).') : null
  return h('div', { class: 'seq', role: 'list', 'aria-label': 'sequence of the flow' }, head, start, rows, empty)
}

const startText = (pending: Pending) =>
  pending.responseType !== undefined
    ? `the browser is sent to /authorize (response_type ${pending.responseType}, state ${pending.state})`
    : `the app’s backend calls the token endpoint (${pending.flow})`

/** One arrow between two lifelines, its label above and the detail below. */
function lanes(from: Lane, to: Lane, title: string, summary: string, detail?: string): HTMLElement {
  const [left, right] = from < to ? [from, to] : [to, from]
  return h(
    'div',
    { class: 'seq-lanes', role: 'listitem' },
    h(
      'div',
      { class: `seq-arrow span-${left}-${right} ${from < to ? 'ltr' : 'rtl'}` },
      h('span', { class: 'seq-label' }, h('strong', {}, `${LANES[from - 1]} → ${LANES[to - 1]}: ${title}. `), summary),
      detail ? h('span', { class: 'seq-detail' }, detail) : null,
    ),
  )
}
