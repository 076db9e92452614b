// Organizer: a single-page app that signs its user in with the implicit grant ("id_token token")
// and calls the Appointments API with the access token it gets. No library: every step is below.
//
//   signIn()         step 1: send the browser to Gatehouse's /authorize
//   handleCallback() step 2: read the tokens from the URL fragment, check state
//   checkIdToken()   step 3: check the ID token (signature, iss, aud, exp, nonce, at_hash)
//   callApi()        step 4: send the access token to the API as "Authorization: Bearer ..."
//
// window.ORGANIZER (config.js, written by spa-server.mjs) says where Gatehouse and the API are.
'use strict'

const config = window.ORGANIZER

// sessionStorage is per tab and gone when the tab closes: the state and nonce of a sign-in in
// progress, then the session (the access token and who signed in).
const PENDING = 'organizer.pending'
const SESSION = 'organizer.session'

const $ = (id) => document.getElementById(id)

class Problem extends Error {}

// ---- Step 1: ask Gatehouse for an ID token and an access token -------------------------------

function signIn() {
  // state ties the answer to this request (against CSRF); nonce ties the ID token to it (against replay).
  const pending = { state: randomString(), nonce: randomString() }
  sessionStorage.setItem(PENDING, JSON.stringify(pending))
  const query = new URLSearchParams({
    response_type: 'id_token token', // the implicit grant: both tokens come straight back in the URL
    client_id: config.clientId,
    redirect_uri: config.redirectUri, // must be one of the client's callbacks in gatehouse.json
    audience: config.audience, // which API the access token is for (Auth0's parameter)
    scope: config.scope, // openid profile: the ID token and the name; appointments contacts: what the API may do
    state: pending.state,
    nonce: pending.nonce,
  })
  window.location.assign(`${config.issuer}authorize?${query}`)
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(24)))
}

// ---- Step 2: Gatehouse sent the browser back to /callback#access_token=...&id_token=...&state=...

/** The value of `name` in a fragment like "#a=1&b=two%20words", or null when it is not there. */
function getParameterByName(name, fragment) {
  const decode = (text) => decodeURIComponent(text.replace(/\+/g, ' '))
  for (const pair of fragment.replace(/^#/, '').split('&')) {
    const eq = pair.indexOf('=')
    const key = decode(eq === -1 ? pair : pair.slice(0, eq))
    if (key === name) return eq === -1 ? '' : decode(pair.slice(eq + 1))
  }
  return null
}

async function handleCallback(fragment) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null')
  // A state answers one request only; and the tokens leave the address bar and the history.
  sessionStorage.removeItem(PENDING)
  history.replaceState(null, '', '/')

  if (pending === null || getParameterByName('state', fragment) !== pending.state) {
    throw new Problem('The answer does not carry the state this tab sent, so it was ignored (it may be forged: CSRF).')
  }
  const error = getParameterByName('error', fragment)
  if (error !== null) {
    throw new Problem(`Gatehouse answered ${error}: ${getParameterByName('error_description', fragment) ?? 'no description'}`)
  }
  const accessToken = getParameterByName('access_token', fragment)
  const idToken = getParameterByName('id_token', fragment)
  const expiresIn = Number(getParameterByName('expires_in', fragment))
  if (!accessToken || !idToken) throw new Problem('The answer lacks access_token or id_token.')

  const claims = await checkIdToken(idToken, accessToken, pending.nonce)
  // The access token is for the API, not for us: the app stores it and sends it, never reads it.
  const session = { accessToken, name: claims.name ?? claims.sub, expiresAt: Date.now() + expiresIn * 1000 }
  sessionStorage.setItem(SESSION, JSON.stringify(session))
}

// ---- Step 3: believe the ID token only after checking it (OpenID Connect Core §3.2.2.11) ------

async function checkIdToken(idToken, accessToken, nonce) {
  const [header64, payload64, signature64] = idToken.split('.')
  const header = JSON.parse(utf8(base64urlDecode(header64)))
  const claims = JSON.parse(utf8(base64urlDecode(payload64)))

  // Signed by Gatehouse: with the public key from its JWKS that has the token's kid.
  if (header.alg !== 'RS256') throw new Problem(`The ID token is signed with ${header.alg}; this app expects RS256.`)
  const jwks = await (await fetch(`${config.issuer}.well-known/jwks.json`)).json()
  const jwk = jwks.keys.find((key) => key.kid === header.kid)
  if (!jwk) throw new Problem(`No key in Gatehouse's JWKS has the ID token's kid ${header.kid}.`)
  const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
  const key = await crypto.subtle.importKey('jwk', { kty: jwk.kty, n: jwk.n, e: jwk.e }, rsa, false, ['verify'])
  const signed = new TextEncoder().encode(`${header64}.${payload64}`)
  if (!(await crypto.subtle.verify(rsa, key, base64urlDecode(signature64), signed))) {
    throw new Problem('The ID token signature does not match: it was changed after Gatehouse signed it.')
  }

  // Issued by our Gatehouse, for this app, still valid, and for the sign-in this tab started.
  if (claims.iss !== config.issuer) throw new Problem(`The ID token comes from ${claims.iss}, not ${config.issuer}.`)
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  if (!audiences.includes(config.clientId)) throw new Problem(`The ID token is for ${audiences.join(', ')}, not ${config.clientId}.`)
  if (audiences.length > 1 && claims.azp !== config.clientId) throw new Problem('The ID token names another authorized party (azp).')
  if (claims.exp * 1000 <= Date.now()) throw new Problem('The ID token has expired.')
  if (claims.nonce !== nonce) throw new Problem('The ID token carries another nonce: it was not issued for this sign-in.')

  // at_hash: the left half of the access token's SHA-256, so nobody swapped the access token.
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)))
  if (claims.at_hash !== base64url(digest.slice(0, 16))) throw new Problem('at_hash does not match the access token.')
  return claims
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function base64urlDecode(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

const utf8 = (bytes) => new TextDecoder().decode(bytes)

// ---- Step 4: call the API with the access token ----------------------------------------------

async function callApi(path, title, describe) {
  const session = currentSession()
  if (session === null) return render()
  showAnswer(title, 'Asking the API…')
  let response
  try {
    response = await fetch(`${config.apiOrigin}${path}`, { headers: { Authorization: `Bearer ${session.accessToken}` } })
  } catch {
    return showAnswer(title, `Could not reach the API at ${config.apiOrigin}. Is it running?`, [], true)
  }
  const body = await response.json().catch(() => ({}))
  if (!response.ok) {
    // 401: the token is missing, forged, expired or for another API; 403: it lacks the scope.
    const reason = [body.error, body.error_description].filter(Boolean).join(': ')
    return showAnswer(title, `The API answered ${response.status}${reason ? ` (${reason})` : ''}.`, [], true)
  }
  showAnswer(title, `The API accepted the token of ${body.user} (scope: ${body.scope.join(' ')}).`, describe(body))
}

const getAppointments = () =>
  callApi('/api/appointments', 'Appointments', (body) =>
    body.appointments.map((a) => `${a.title}, ${a.starts_at.slice(0, 16).replace('T', ' ')} UTC, ${a.where}`),
  )

const getContacts = () => callApi('/api/contacts', 'Contacts', (body) => body.contacts.map((c) => `${c.name}, ${c.phone}`))

// ---- Signing out: forget the tokens here, end the session at Gatehouse ------------------------

function signOut() {
  sessionStorage.removeItem(SESSION)
  const query = new URLSearchParams({ client_id: config.clientId, returnTo: config.logoutReturnTo })
  window.location.assign(`${config.issuer}v2/logout?${query}`)
}

// ---- The page ---------------------------------------------------------------------------------

function currentSession() {
  const session = JSON.parse(sessionStorage.getItem(SESSION) ?? 'null')
  if (session !== null && session.expiresAt <= Date.now()) {
    sessionStorage.removeItem(SESSION)
    return null
  }
  return session
}

function render() {
  const session = currentSession()
  $('signed-out').hidden = session !== null
  $('signed-in').hidden = session === null
  if (session !== null) {
    $('user-name').textContent = session.name
    $('expires-at').textContent = new Date(session.expiresAt).toLocaleTimeString()
  }
}

// Text only (textContent), never HTML: nothing from a token or the API can become markup.
function showAnswer(title, status, lines = [], failed = false) {
  $('answer').hidden = false
  $('answer-title').textContent = title
  $('answer-status').textContent = status
  $('answer-status').classList.toggle('failed', failed)
  $('answer-list').replaceChildren(...lines.map((line) => Object.assign(document.createElement('li'), { textContent: line })))
}

function showProblem(message) {
  $('problem').textContent = message
  $('problem').hidden = false
}

async function start() {
  $('sign-in').addEventListener('click', signIn)
  $('sign-out').addEventListener('click', signOut)
  $('get-appointments').addEventListener('click', getAppointments)
  $('get-contacts').addEventListener('click', getContacts)
  if (window.location.hash.length > 1) {
    try {
      await handleCallback(window.location.hash)
    } catch (error) {
      showProblem(error instanceof Problem ? error.message : `Sign-in failed: ${error.message}`)
    }
  } else if (window.location.pathname !== '/') {
    history.replaceState(null, '', '/')
  }
  render()
}

start()
