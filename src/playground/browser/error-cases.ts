// Errors teach: requests built to fail, one per common mistake. Each goes to /authorize for real; the
// callback view then shows the error, what it means in the spec and the likely fix — except a wrong
// redirect_uri, which by design never comes back to the app.
import type { PageData } from '../page-data.js'
import { h, specLink } from './dom.js'
import { randomString } from './encoding.js'
import { savePending } from './session.js'

interface ErrorCase {
  error: string
  title: string
  /** what is wrong with the request, and what the learner will see */
  about: string
  /** the request's parameters besides client_id, response_type, state and nonce */
  params: (data: PageData) => [string, string][]
}

const CASES: ErrorCase[] = [
  {
    error: 'invalid_scope',
    title: 'An API scope without its audience',
    about: 'Asks for the demo API’s scope but names no audience: scope says what, audience says where, and Gatehouse will not guess.',
    params: (data) => [['scope', `openid ${data.demoApi.scope}`]],
  },
  {
    error: 'login_required',
    title: 'prompt=none with max_age=0',
    about: 'Asks for an answer without any page (prompt=none) and for a login younger than 0 seconds: only a login page could satisfy that.',
    params: () => [['scope', 'openid'], ['prompt', 'none'], ['max_age', '0']],
  },
  {
    error: 'consent_required',
    title: 'prompt=none for scopes not yet allowed',
    about: 'Silently asks for write:appointments, which you have not allowed this client. Sign in first (any flow above), or you will see login_required instead.',
    params: (data) => [['scope', 'openid write:appointments'], ['audience', data.demoApi.audience], ['prompt', 'none']],
  },
  {
    error: 'access_denied',
    title: 'Press Deny',
    about: 'Shows the consent page whatever was allowed before (prompt=consent): press Deny there, and the app hears access_denied.',
    params: (data) => [['scope', `openid ${data.demoApi.scope}`], ['audience', data.demoApi.audience], ['prompt', 'consent']],
  },
]

const REDIRECT_ERRORS = { label: 'RFC 6749 §4.1.2.1', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1' }

/** The "try an error" section of the playground page. */
export function errorCasesView(data: PageData): HTMLElement {
  const rows = CASES.map((c) =>
    h(
      'li',
      {},
      h('button', { type: 'button', class: 'secondary', 'data-error-case': c.error, onclick: () => run(data, c) }, c.title),
      ' ',
      h('code', {}, c.error),
      ': ',
      c.about,
    ),
  )
  const wrong = `${data.callback}-that-is-not-registered`
  rows.push(
    h(
      'li',
      {},
      h('a', { class: 'button secondary', 'data-error-case': 'redirect_uri', href: authorizeUrl(data, [['redirect_uri', wrong], ['scope', 'openid']]) }, 'A redirect_uri that is not registered'),
      ' This one cannot come back to the app: when the client or its redirect_uri cannot be trusted, Gatehouse must not send anything there, not even an error — else anyone could have answers sent to their own site. So it shows its own error page, which names the callbacks this client has and where to add one. ',
      specLink(REDIRECT_ERRORS),
    ),
  )
  return h(
    'section',
    { id: 'error-cases' },
    h('h2', {}, 'Try an error'),
    h('p', {}, 'Each request below is built to fail in a common way. It runs for real; the callback view shows the error code, what the spec says it means, the likely fix, and the server’s decisions on the timeline.'),
    h('ul', { class: 'error-cases' }, rows),
  )
}

function run(data: PageData, c: ErrorCase): void {
  const state = randomString()
  const nonce = randomString()
  savePending({ flow: `error-${c.error}`, state, nonce, responseType: 'id_token', responseMode: 'fragment', startedAt: Date.now() })
  location.assign(authorizeUrl(data, [...c.params(data), ['state', state], ['nonce', nonce]]))
}

function authorizeUrl(data: PageData, params: [string, string][]): string {
  const url = new URL(data.endpoints.authorize)
  const all = new URLSearchParams([['response_type', 'id_token'], ['client_id', data.clientId], ['redirect_uri', data.callback], ...params])
  // a later redirect_uri (the wrong one) replaces the playground's
  url.search = new URLSearchParams([...new Map(all)]).toString()
  return url.href
}
