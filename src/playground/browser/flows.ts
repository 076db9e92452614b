// The flows the playground runs, and what each request parameter is for.
import type { Link } from './dom.js'

export type FlowKind = 'redirect' | 'silent-web-message' | 'silent-fragment' | 'token' | 'logout'

export interface Flow {
  id: string
  title: string
  group: string
  kind: FlowKind
  /** one or two sentences: when to use it */
  about: string
  spec: Link
  /** response_type choices for /authorize, the first is the default */
  responseTypes?: string[]
  /** response_mode choices, the first is the default */
  responseModes?: string[]
  grantType?: 'client_credentials' | 'refresh_token' | 'password'
}

const RFC6749 = 'https://www.rfc-editor.org/rfc/rfc6749'
const CORE = 'https://openid.net/specs/openid-connect-core-1_0.html'
const MULTIPLE = 'https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html'

export const FLOWS: Flow[] = [
  {
    id: 'implicit-token',
    title: 'Implicit: token',
    group: 'Sign in through the browser',
    kind: 'redirect',
    about: 'The access token comes straight back in the URL fragment. Legacy: current advice (RFC 9700) is the code flow with PKCE.',
    spec: { label: 'RFC 6749 §4.2', url: `${RFC6749}#section-4.2` },
    responseTypes: ['token'],
    responseModes: ['fragment', 'form_post'],
  },
  {
    id: 'implicit-id-token',
    title: 'Implicit: id_token',
    group: 'Sign in through the browser',
    kind: 'redirect',
    about: 'Only an ID token: who signed in, for an app that calls no API. The nonce is what makes it safe.',
    spec: { label: 'OIDC Core §3.2', url: `${CORE}#ImplicitFlowAuth` },
    responseTypes: ['id_token'],
    responseModes: ['fragment', 'form_post'],
  },
  {
    id: 'implicit-id-token-token',
    title: 'Implicit: id_token token',
    group: 'Sign in through the browser',
    kind: 'redirect',
    about: 'Both tokens from the fragment, as Auth0’s implicit-grant tutorial does; at_hash ties the access token to the ID token.',
    spec: { label: 'OIDC Core §3.2', url: `${CORE}#ImplicitFlowAuth` },
    responseTypes: ['id_token token'],
    responseModes: ['fragment', 'form_post'],
  },
  {
    id: 'code-pkce',
    title: 'Authorization code + PKCE',
    group: 'Sign in through the browser',
    kind: 'redirect',
    about: 'A short-lived code comes back; the app exchanges it at the token endpoint with the PKCE verifier. The recommended flow for every kind of app.',
    spec: { label: 'RFC 6749 §4.1, RFC 7636', url: 'https://www.rfc-editor.org/rfc/rfc7636' },
    responseTypes: ['code'],
    responseModes: ['query', 'form_post', 'fragment'],
  },
  {
    id: 'hybrid',
    title: 'Hybrid',
    group: 'Sign in through the browser',
    kind: 'redirect',
    about: 'A code and tokens at once: the ID token arrives immediately (c_hash binds the code to it), the rest through the code exchange.',
    spec: { label: 'OIDC Core §3.3', url: `${CORE}#HybridFlowAuth` },
    responseTypes: ['code id_token', 'code token', 'code id_token token'],
    responseModes: ['fragment', 'form_post'],
  },
  {
    id: 'silent-web-message',
    title: 'Silent authentication: web_message',
    group: 'Silent authentication (prompt=none in a hidden iframe)',
    kind: 'silent-web-message',
    about: 'Renews tokens without showing anything, using the Gatehouse session cookie; the answer is posted to this page with postMessage (how auth0-spa-js does it).',
    spec: { label: 'OIDC Core §3.1.2.1 (prompt=none)', url: `${CORE}#AuthRequest` },
    responseTypes: ['code', 'id_token token', 'id_token', 'token'],
    responseModes: ['web_message'],
  },
  {
    id: 'silent-fragment',
    title: 'Silent authentication: fragment',
    group: 'Silent authentication (prompt=none in a hidden iframe)',
    kind: 'silent-fragment',
    about: 'The same, but the iframe is sent to the callback and this page reads the fragment from the iframe’s address (possible only for the same origin).',
    spec: { label: 'OIDC Core §3.1.2.1 (prompt=none)', url: `${CORE}#AuthRequest` },
    responseTypes: ['id_token token', 'id_token', 'token', 'code'],
    responseModes: ['fragment'],
  },
  {
    id: 'client-credentials',
    title: 'Client credentials',
    group: 'Straight to the token endpoint (from the app’s backend)',
    kind: 'token',
    about: 'A machine asks for a token for itself, no user involved; the client secret proves who it is. Needs a client grant for the API.',
    spec: { label: 'RFC 6749 §4.4', url: `${RFC6749}#section-4.4` },
    grantType: 'client_credentials',
  },
  {
    id: 'refresh',
    title: 'Refresh token',
    group: 'Straight to the token endpoint (from the app’s backend)',
    kind: 'token',
    about: 'Trades the refresh token from an earlier code flow (with offline_access) for new tokens. With rotation, each refresh token works once.',
    spec: { label: 'RFC 6749 §6', url: `${RFC6749}#section-6` },
    grantType: 'refresh_token',
  },
  {
    id: 'password',
    title: 'Password (resource owner)',
    group: 'Straight to the token endpoint (from the app’s backend)',
    kind: 'token',
    about: 'The app collects the user’s password itself. Shown so you know it when you see it: RFC 9700 says it MUST NOT be used.',
    spec: { label: 'RFC 6749 §4.3', url: `${RFC6749}#section-4.3` },
    grantType: 'password',
  },
  {
    id: 'logout',
    title: 'Logout',
    group: 'End the session',
    kind: 'logout',
    about: 'Ends the Gatehouse session (the cookie that makes silent authentication work) and comes back to an allowed logout URL.',
    spec: { label: 'OIDC RP-Initiated Logout §2', url: 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout' },
  },
]

export const findFlow = (id: string | null): Flow => FLOWS.find((flow) => flow.id === id) ?? FLOWS.find((flow) => flow.id === 'code-pkce')!

export interface ParamHelp {
  about: string
  spec: Link
}

/** One or two sentences per parameter: what it is for, and why. */
export const PARAMS: Record<string, ParamHelp> = {
  response_type: {
    about: 'What /authorize sends back: code (exchanged later at the token endpoint), token (an access token), id_token (who signed in), or a combination.',
    spec: { label: 'Multiple Response Types §3', url: `${MULTIPLE}#Combinations` },
  },
  client_id: {
    about: 'Which registered app is asking. Gatehouse looks up its callbacks, grant types and whether it is first party.',
    spec: { label: 'RFC 6749 §2.2', url: `${RFC6749}#section-2.2` },
  },
  redirect_uri: {
    about: 'Where the browser is sent back. It must match one of the client’s callbacks exactly, or anyone could have the answer sent to their own site.',
    spec: { label: 'RFC 6749 §3.1.2', url: `${RFC6749}#section-3.1.2` },
  },
  scope: {
    about: 'What the app asks for. OIDC scopes (openid, profile, email, offline_access) shape the ID token and refresh tokens; API scopes such as read:appointments go into the access token.',
    spec: { label: 'RFC 6749 §3.3', url: `${RFC6749}#section-3.3` },
  },
  audience: {
    about: 'Auth0’s parameter naming the API the access token is for: it becomes the token’s aud. Scope says what, audience says where; without it the access token is only good for /userinfo.',
    spec: { label: 'Auth0: get access tokens', url: 'https://auth0.com/docs/secure/tokens/access-tokens/get-access-tokens' },
  },
  state: {
    about: 'A random value the app keeps and compares when the answer comes back. It proves the answer belongs to a request this browser made: protection against cross-site request forgery.',
    spec: { label: 'RFC 6749 §10.12', url: `${RFC6749}#section-10.12` },
  },
  nonce: {
    about: 'A random value Gatehouse copies into the ID token; the app checks it, so an ID token captured earlier cannot be replayed. Required whenever /authorize returns an ID token.',
    spec: { label: 'OIDC Core §15.5.2', url: `${CORE}#NonceNotes` },
  },
  code_challenge: {
    about: 'PKCE: the SHA-256 of a random code_verifier this page keeps. Only whoever holds the verifier can exchange the code, so a stolen code is worthless.',
    spec: { label: 'RFC 7636 §4.2', url: 'https://www.rfc-editor.org/rfc/rfc7636#section-4.2' },
  },
  code_challenge_method: {
    about: 'S256: the challenge is BASE64URL(SHA-256(verifier)). Gatehouse refuses plain, as current best practice says.',
    spec: { label: 'RFC 7636 §4.3', url: 'https://www.rfc-editor.org/rfc/rfc7636#section-4.3' },
  },
  response_mode: {
    about: 'How the answer travels: query (?…, codes only), fragment (#…, never sent to a server), form_post (an auto-submitted POST: nothing in the URL or history) or web_message (postMessage to the parent window).',
    spec: { label: 'Response modes', url: `${MULTIPLE}#ResponseModes` },
  },
  prompt: {
    about: 'none: show nothing; answer with tokens or with login_required / consent_required. login or consent: ask again even if not needed.',
    spec: { label: 'OIDC Core §3.1.2.1', url: `${CORE}#AuthRequest` },
  },
  grant_type: {
    about: 'Which grant the token endpoint is asked for; the client must be allowed it (its grant_types).',
    spec: { label: 'RFC 6749 §4', url: `${RFC6749}#section-4` },
  },
  code: {
    about: 'The authorization code from the callback: good once, for one minute, for this client and redirect_uri only.',
    spec: { label: 'RFC 6749 §4.1.3', url: `${RFC6749}#section-4.1.3` },
  },
  code_verifier: {
    about: 'The PKCE secret this page made before the redirect. Gatehouse hashes it and compares with the code_challenge. Masked here, and never put in a URL.',
    spec: { label: 'RFC 7636 §4.5', url: 'https://www.rfc-editor.org/rfc/rfc7636#section-4.5' },
  },
  refresh_token: {
    about: 'The long-lived token from an earlier response with offline_access. With rotation, the answer holds a new one and this one stops working.',
    spec: { label: 'RFC 6749 §6', url: `${RFC6749}#section-6` },
  },
  username: {
    about: 'The user’s login, collected by the app itself.',
    spec: { label: 'RFC 6749 §4.3.2', url: `${RFC6749}#section-4.3.2` },
  },
  password: {
    about: 'The user’s password, handed to the app: exactly what OAuth was invented to avoid. Masked in what is shown.',
    spec: { label: 'RFC 9700 §2.4', url: 'https://www.rfc-editor.org/rfc/rfc9700#section-2.4' },
  },
  Authorization: {
    about: 'Client authentication, added by the playground’s backend: Basic base64(client_id:client_secret). The secret never reaches this page.',
    spec: { label: 'RFC 6749 §2.3.1', url: `${RFC6749}#section-2.3.1` },
  },
  id_token_hint: {
    about: 'The ID token of the session to end: tells Gatehouse who is logging out and for which client.',
    spec: { label: 'RP-Initiated Logout §2', url: 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout' },
  },
  post_logout_redirect_uri: {
    about: 'Where to come back after logout; must be one of the client’s allowed_logout_urls exactly, or logout becomes an open redirect.',
    spec: { label: 'RP-Initiated Logout §3', url: 'https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RedirectionAfterLogout' },
  },
  returnTo: {
    about: 'Auth0’s name for the same thing: where /v2/logout sends the browser, checked against allowed_logout_urls.',
    spec: { label: 'Auth0: logout', url: 'https://auth0.com/docs/api/authentication#logout' },
  },
}
