// The playground page: pick a flow, an API and scopes; see the request being built, each parameter
// explained; run it for real.
import type { PageData } from '../page-data.js'
import { h, specLink } from './dom.js'
import { errorCasesView } from './error-cases.js'
import { codeChallenge, hasWebCrypto, randomString } from './encoding.js'
import { FLOWS, findFlow, PARAMS, type Flow } from './flows.js'
import { AUTH0_LOGOUT_STATE, callBackend, errorView, exchangeView, showAuthorizationResponse, type ResponseSource } from './result.js'
import { keptTokens, savePending, type Pending } from './session.js'
import { timelineView } from './timeline.js'

interface Choices {
  flow: Flow
  responseType: string
  responseMode: string
  audience: string
  scopes: Set<string>
  prompt: string
  username: string
  password: string
  logout: 'oidc' | 'auth0'
}

/** Fresh for every attempt: random values an app makes per request and keeps until the answer. */
interface Secrets {
  state: string
  nonce: string
  codeVerifier: string
  codeChallenge: string
}

interface BuiltRequest {
  method: 'GET' | 'POST'
  /** the URL shown and, for GET, navigated to */
  url: string
  /** in order; for POST the form body */
  params: [string, string][]
  /** parameters shown masked */
  masked?: string[]
  /** extra header rows shown (added by the backend) */
  headers?: [string, string][]
}

export async function startPlayground(root: HTMLElement, data: PageData): Promise<void> {
  const query = new URLSearchParams(location.search)
  const choices = initialChoices(data, findFlow(query.get('flow')))
  let secrets = await newSecrets()

  const form = h('form', { id: 'builder', onsubmit: (e: Event) => e.preventDefault() })
  const requestView = h('section', { id: 'request' })
  const result = h('section', { id: 'result', 'aria-live': 'polite' })
  root.replaceChildren(
    hasWebCrypto() ? '' : h('p', { class: 'error' }, 'This page is not a secure context (https, or http on localhost), so the browser hides Web Crypto: PKCE and signature checks cannot run. Open the playground on localhost.'),
    form,
    requestView,
    result,
    errorCasesView(data),
  )

  // The request is rebuilt on every change; the form only when a choice changes which controls are shown.
  const renderRequest = () => {
    const built = buildRequest(data, choices, secrets)
    requestView.replaceChildren(...requestPreview(choices.flow, built))
    requestView.append(h('p', {}, h('button', { type: 'button', id: 'run', onclick: () => void run(built) }, 'Run it')))
    history.replaceState(null, '', `?flow=${choices.flow.id}`)
  }
  const render = () => {
    const focused = document.activeElement as HTMLInputElement | null
    form.replaceChildren(...controls(data, choices, { form: render, request: renderRequest }))
    // keep the keyboard focus on the control that was just used
    if (focused?.name) form.querySelector<HTMLElement>(`[name="${focused.name}"]${focused.type === 'radio' || focused.type === 'checkbox' ? `[value="${CSS.escape(focused.value)}"]` : ''}`)?.focus()
    renderRequest()
  }

  const run = async (built: BuiltRequest) => {
    const kind = choices.flow.kind
    // What the answer will be checked against; only /authorize requests carry a nonce and a PKCE verifier.
    const pending: Pending = { flow: choices.flow.id, state: secrets.state, startedAt: Date.now() }
    if (kind === 'redirect' || kind === 'silent-web-message' || kind === 'silent-fragment') {
      Object.assign(pending, {
        nonce: built.params.some(([name]) => name === 'nonce') ? secrets.nonce : undefined,
        codeVerifier: built.params.some(([name]) => name === 'code_challenge') ? secrets.codeVerifier : undefined,
        responseType: choices.responseType,
        responseMode: choices.responseMode,
      })
    }
    if (kind === 'logout' && choices.logout === 'auth0') pending.state = AUTH0_LOGOUT_STATE
    if (kind !== 'token') savePending(pending)
    secrets = await newSecrets()
    if (kind === 'redirect' || kind === 'logout') return location.assign(built.url)
    result.replaceChildren(h('p', { class: 'muted' }, 'Running…'))
    try {
      if (kind === 'token') {
        const exchange = await callBackend(data, Object.fromEntries(built.params))
        result.replaceChildren(await exchangeView(data, exchange, pending, choices.flow.title), timelineView(data, pending))
      } else {
        const response = await runSilently(data, built.url, kind === 'silent-web-message' ? 'web_message' : 'fragment')
        await showAuthorizationResponse(result, data, response)
      }
    } catch (err) {
      result.replaceChildren(h('p', { class: 'error', role: 'alert' }, (err as Error).message))
    }
    render()
  }

  render()
  if (query.get('run') === '1') await run(buildRequest(data, choices, secrets))
}

async function newSecrets(): Promise<Secrets> {
  const codeVerifier = randomString(32)
  return { state: randomString(), nonce: randomString(), codeVerifier, codeChallenge: hasWebCrypto() ? await codeChallenge(codeVerifier) : '' }
}

function initialChoices(data: PageData, flow: Flow): Choices {
  const demo = data.apis.find((api) => api.identifier === data.demoApi.audience)
  const choices: Choices = {
    flow,
    responseType: '',
    responseMode: '',
    audience: demo?.identifier ?? '',
    scopes: new Set(),
    prompt: '',
    username: data.demoUsers[0]?.username ?? '',
    password: data.demoUsers[0]?.password ?? '',
    logout: 'oidc',
  }
  applyFlowDefaults(data, choices)
  return choices
}

/** Each flow starts from sensible values; the learner changes them from there. */
function applyFlowDefaults(data: PageData, choices: Choices): void {
  const { flow } = choices
  choices.responseType = flow.responseTypes?.[0] ?? ''
  choices.responseMode = flow.responseModes?.[0] ?? ''
  if (flow.grantType === 'client_credentials' && choices.audience === '') choices.audience = data.apis[0]?.identifier ?? ''
  choices.scopes = new Set(defaultScopes(data, choices))
}

function defaultScopes(data: PageData, choices: Choices): string[] {
  const api = data.apis.find((a) => a.identifier === choices.audience)
  const apiScopes = api ? (api.identifier === data.demoApi.audience ? [data.demoApi.scope] : api.scopes.slice(0, 1).map((s) => s.value)) : []
  if (choices.flow.grantType === 'client_credentials') return api ? api.scopes.map((s) => s.value) : []
  const usesCode = choices.responseType.split(' ').includes('code') || choices.flow.grantType === 'password'
  return ['openid', 'profile', 'email', ...(usesCode ? ['offline_access'] : []), ...apiScopes]
}

// ---- the form ----

function controls(data: PageData, choices: Choices, rerender: { form: () => void; request: () => void }): HTMLElement[] {
  const { flow } = choices
  const change = (apply: () => void) => () => {
    apply()
    rerender.form()
  }
  const groups = [...new Set(FLOWS.map((f) => f.group))].map((group) =>
    h(
      'fieldset',
      { class: 'flows' },
      h('legend', {}, group),
      FLOWS.filter((f) => f.group === group).map((f) =>
        h(
          'label',
          { class: 'choice' },
          h('input', {
            type: 'radio',
            name: 'flow',
            value: f.id,
            checked: f.id === flow.id,
            onchange: change(() => {
              choices.flow = f
              applyFlowDefaults(data, choices)
            }),
          }),
          ' ',
          f.title,
        ),
      ),
    ),
  )
  const out: HTMLElement[] = [h('div', { class: 'flow-picker' }, groups)]
  out.push(h('p', { class: 'flow-about', id: 'flow-about' }, h('strong', {}, `${flow.title}. `), flow.about, ' ', specLink(flow.spec)))

  const options = h('div', { class: 'options' })
  const select = (name: string, label: string, values: [string, string][], current: string, apply: (value: string) => void) =>
    h(
      'label',
      {},
      label,
      h(
        'select',
        { name, onchange: (e: Event) => change(() => apply((e.target as HTMLSelectElement).value))() },
        values.map(([value, text]) => h('option', { value, selected: value === current }, text)),
      ),
    )
  if ((flow.responseTypes?.length ?? 0) > 1) {
    options.append(select('response_type', 'response_type', flow.responseTypes!.map((v) => [v, v]), choices.responseType, (v) => {
      choices.responseType = v
      choices.scopes = new Set(defaultScopes(data, choices))
    }))
  }
  if ((flow.responseModes?.length ?? 0) > 1) {
    options.append(select('response_mode', 'response_mode', flow.responseModes!.map((v) => [v, v]), choices.responseMode, (v) => (choices.responseMode = v)))
  }
  if (flow.kind === 'redirect') {
    options.append(select('prompt', 'prompt', [['', '(not sent)'], ['none', 'none'], ['login', 'login'], ['consent', 'consent']], choices.prompt, (v) => (choices.prompt = v)))
  }
  const asksAudience = flow.kind !== 'logout' && flow.grantType !== 'refresh_token'
  if (asksAudience) {
    const apis: [string, string][] = data.apis.map((api) => [api.identifier, `${api.name} (${api.identifier})`])
    if (flow.grantType !== 'client_credentials') apis.unshift(['', '(none: a token only for /userinfo)'])
    options.append(select('audience', 'audience (API)', apis, choices.audience, (v) => {
      choices.audience = v
      choices.scopes = new Set(defaultScopes(data, choices))
    }))
  }
  if (flow.grantType === 'password') {
    const input = (name: 'username' | 'password') =>
      h('label', {}, name, h('input', { name, type: name === 'password' ? 'password' : 'text', value: choices[name], autocomplete: 'off', oninput: (e: Event) => {
        choices[name] = (e.target as HTMLInputElement).value
        rerender.request()
      } }))
    options.append(input('username'), input('password'))
  }
  if (flow.kind === 'logout') {
    options.append(select('logout', 'endpoint', [['oidc', 'OIDC end_session_endpoint (/oidc/logout)'], ['auth0', 'Auth0 /v2/logout']], choices.logout, (v) => (choices.logout = v as Choices['logout'])))
  }
  out.push(options)
  if (asksAudience) out.push(scopePicker(data, choices, rerender.request))
  return out
}

function scopePicker(data: PageData, choices: Choices, renderRequest: () => void): HTMLElement {
  const api = data.apis.find((a) => a.identifier === choices.audience)
  const offered = [...(choices.flow.grantType === 'client_credentials' ? [] : data.oidcScopes), ...(api?.scopes ?? [])]
  return h(
    'fieldset',
    { class: 'scopes-picker' },
    h('legend', {}, 'scope'),
    offered.map((s) =>
      h(
        'label',
        { class: 'choice', title: s.description },
        h('input', {
          type: 'checkbox',
          name: 'scope',
          value: s.value,
          checked: choices.scopes.has(s.value),
          onchange: (e: Event) => {
            if ((e.target as HTMLInputElement).checked) choices.scopes.add(s.value)
            else choices.scopes.delete(s.value)
            renderRequest()
          },
        }),
        ' ',
        h('code', {}, s.value),
        ' ',
        h('span', { class: 'muted' }, s.description),
      ),
    ),
  )
}

// ---- the request ----

function buildRequest(data: PageData, choices: Choices, secrets: Secrets): BuiltRequest {
  const { flow } = choices
  const scope = [...choices.scopes].join(' ')
  if (flow.kind === 'token') {
    const params: [string, string][] = [['grant_type', flow.grantType!]]
    if (flow.grantType === 'refresh_token') params.push(['refresh_token', keptTokens().refresh_token ?? ''])
    if (flow.grantType === 'password') params.push(['username', choices.username], ['password', choices.password])
    if (flow.grantType !== 'refresh_token') {
      if (choices.audience) params.push(['audience', choices.audience])
      if (scope) params.push(['scope', scope])
    }
    return { method: 'POST', url: data.endpoints.token, params, masked: ['password'], headers: [['Authorization', 'Basic [masked]']] }
  }
  if (flow.kind === 'logout') {
    if (choices.logout === 'auth0') {
      return { method: 'GET', url: withParams(data.endpoints.auth0Logout, [['client_id', data.clientId], ['returnTo', data.callback]]), params: [['client_id', data.clientId], ['returnTo', data.callback]] }
    }
    const idToken = keptTokens().id_token
    const params: [string, string][] = idToken ? [['id_token_hint', idToken]] : [['client_id', data.clientId]]
    params.push(['post_logout_redirect_uri', data.callback], ['state', secrets.state])
    return { method: 'GET', url: withParams(data.endpoints.oidcLogout, params), params }
  }
  const types = choices.responseType.split(' ')
  const params: [string, string][] = [
    ['response_type', choices.responseType],
    ['client_id', data.clientId],
    ['redirect_uri', data.callback],
    ['scope', scope],
  ]
  if (choices.audience) params.push(['audience', choices.audience])
  params.push(['state', secrets.state])
  if (types.includes('id_token') || choices.scopes.has('openid')) params.push(['nonce', secrets.nonce])
  if (types.includes('code')) params.push(['code_challenge', secrets.codeChallenge], ['code_challenge_method', 'S256'])
  params.push(['response_mode', choices.responseMode])
  const prompt = flow.kind === 'redirect' ? choices.prompt : 'none'
  if (prompt) params.push(['prompt', prompt])
  return { method: 'GET', url: withParams(data.endpoints.authorize, params), params }
}

/** URLSearchParams writes spaces as "+", which is right for query strings; %20 reads better when shown. */
const withParams = (url: string, params: [string, string][]) => `${url}?${new URLSearchParams(params).toString().replace(/\+/g, '%20')}`

function requestPreview(flow: Flow, built: BuiltRequest): (HTMLElement | string)[] {
  const shown = (name: string, value: string) => (built.masked?.includes(name) ? '[masked]' : value)
  const row = (name: string, value: string) => {
    const help = PARAMS[name]
    return h(
      'tr',
      { 'data-param': name },
      h('th', { scope: 'row' }, h('code', {}, name)),
      h('td', {}, h('code', { class: 'break' }, value === '' ? '(empty)' : shown(name, value))),
      h('td', {}, help?.about ?? '', ' ', help ? specLink(help.spec) : null),
    )
  }
  const intro =
    flow.kind === 'token'
      ? 'The page sends these parameters to the playground’s backend, which adds the client secret and POSTs them to the token endpoint as a form:'
      : flow.kind === 'redirect' || flow.kind === 'logout'
        ? 'The browser is sent to this URL:'
        : 'A hidden iframe loads this URL:'
  const location = built.method === 'GET' ? built.url : `POST ${built.url}`
  return [
    h('h2', {}, 'The request'),
    h('p', {}, intro),
    h('pre', { class: 'request-url' }, h('code', { class: 'break' }, location)),
    h('table', { class: 'params' }, h('tbody', {}, (built.headers ?? []).map(([name, value]) => row(name, value)), built.params.map(([name, value]) => row(name, value)))),
    flow.grantType === 'refresh_token' && !keptTokens().refresh_token
      ? errorView('invalid_request', 'no refresh token in this tab yet: run the code flow with offline_access first')
      : '',
  ]
}

// ---- silent authentication ----

/** Loads the authorize URL in a hidden iframe and waits for the answer (prompt=none never shows a page). */
function runSilently(data: PageData, url: string, mode: 'web_message' | 'fragment'): Promise<{ source: ResponseSource; params: Record<string, string> }> {
  const issuerOrigin = new URL(data.issuer).origin
  const iframe = h('iframe', { hidden: true, title: 'silent authentication' })
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer)
      window.removeEventListener('message', onMessage)
      iframe.remove()
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error('No answer within 10 seconds: the iframe is probably showing a page it should not.'))
    }, 10_000)
    // web_message: accept only a message from the iframe, from the issuer's origin, of the expected type.
    const onMessage = (event: MessageEvent) => {
      const message = event.data as { type?: string; response?: Record<string, string> } | null
      if (event.origin !== issuerOrigin || event.source !== iframe.contentWindow || message?.type !== 'authorization_response') return
      done()
      resolve({ source: 'web_message', params: message.response ?? {} })
    }
    // fragment: the iframe lands on the callback; this page may read its address because it is the same origin.
    const onLoad = () => {
      const href = iframe.contentWindow?.location.href ?? ''
      if (mode !== 'fragment' || !href.startsWith(data.callback)) return
      const hash = new URL(href).hash.slice(1)
      done()
      resolve({ source: 'fragment', params: Object.fromEntries(new URLSearchParams(hash)) })
    }
    window.addEventListener('message', onMessage)
    iframe.addEventListener('load', onLoad)
    iframe.src = url
    document.body.append(iframe)
  })
}
