// What each claim, header member and error code means, in a sentence or two.
import type { Link } from './dom.js'

const JWT = 'https://www.rfc-editor.org/rfc/rfc7519'
const CORE = 'https://openid.net/specs/openid-connect-core-1_0.html'
const AT = 'https://www.rfc-editor.org/rfc/rfc9068'

export interface Explanation {
  about: string
  spec?: Link
}

export const HEADER: Record<string, Explanation> = {
  alg: { about: 'The signature algorithm. An app accepts only the ones it expects, never "none".', spec: { label: 'RFC 7515 §4.1.1', url: 'https://www.rfc-editor.org/rfc/rfc7515#section-4.1.1' } },
  kid: { about: 'Which key in the issuer’s JWKS verifies the signature; keys rotate, so look it up each time.', spec: { label: 'RFC 7515 §4.1.4', url: 'https://www.rfc-editor.org/rfc/rfc7515#section-4.1.4' } },
  typ: { about: 'What kind of JWT this is: at+jwt for access tokens (RFC 9068), JWT for ID tokens, so one cannot pass for the other.', spec: { label: 'RFC 9068 §2.1', url: `${AT}#section-2.1` } },
}

export const CLAIMS: Record<string, Explanation> = {
  iss: { about: 'Issuer: who made the token. Must equal the expected issuer exactly, trailing slash included.', spec: { label: 'RFC 7519 §4.1.1', url: `${JWT}#section-4.1.1` } },
  sub: { about: 'Subject: the user’s id (user_id), or client_id@clients for a client credentials token. Stable: key your data on it, not on the email.', spec: { label: 'RFC 7519 §4.1.2', url: `${JWT}#section-4.1.2` } },
  aud: { about: 'Audience: who the token is for. An ID token: the client_id. An access token: the API identifier, and also <issuer>userinfo when openid was asked, which makes it an array.', spec: { label: 'RFC 7519 §4.1.3', url: `${JWT}#section-4.1.3` } },
  azp: { about: 'Authorized party: the client the token was issued to.', spec: { label: 'OIDC Core §2', url: `${CORE}#IDToken` } },
  exp: { about: 'Expiry, in seconds since 1970: refuse the token from then on.', spec: { label: 'RFC 7519 §4.1.4', url: `${JWT}#section-4.1.4` } },
  iat: { about: 'Issued at, in seconds since 1970.', spec: { label: 'RFC 7519 §4.1.6', url: `${JWT}#section-4.1.6` } },
  nbf: { about: 'Not before: refuse the token until then.', spec: { label: 'RFC 7519 §4.1.5', url: `${JWT}#section-4.1.5` } },
  jti: { about: 'A unique id for this token, used to revoke it or spot a replay.', spec: { label: 'RFC 7519 §4.1.7', url: `${JWT}#section-4.1.7` } },
  auth_time: { about: 'When the user actually signed in, which may be long before this token was made; max_age is checked against it.', spec: { label: 'OIDC Core §2', url: `${CORE}#IDToken` } },
  nonce: { about: 'The nonce from the request, copied back: the app compares it with the one it kept to stop replays.', spec: { label: 'OIDC Core §3.2.2.11', url: `${CORE}#ImplicitIDTValidation` } },
  at_hash: { about: 'The left half of the SHA-256 of the access token, base64url: binds the access token that came along to this ID token.', spec: { label: 'OIDC Core §3.2.2.9', url: `${CORE}#ImplicitTokenValidation` } },
  c_hash: { about: 'The same for the authorization code (hybrid flow): a swapped code would not match.', spec: { label: 'OIDC Core §3.3.2.10', url: `${CORE}#CodeValidation` } },
  sid: { about: 'The Gatehouse session this token came from; logout ends it.', spec: { label: 'Front-Channel Logout §3', url: 'https://openid.net/specs/openid-connect-frontchannel-1_0.html#ClaimsContents' } },
  scope: { about: 'The scopes granted, space-separated: maybe fewer than asked. An API decides what the caller may do from these.', spec: { label: 'RFC 9068 §2.2.3', url: `${AT}#section-2.2.3` } },
  permissions: { about: 'Auth0 RBAC: the permissions the user’s roles give for this API.', spec: { label: 'Auth0: RBAC', url: 'https://auth0.com/docs/manage-users/access-control/rbac' } },
  client_id: { about: 'The client the access token was issued to.', spec: { label: 'RFC 9068 §2.2', url: `${AT}#section-2.2` } },
  gty: { about: 'Auth0’s marker of the grant that made this token (client-credentials, password, refresh_token).' },
  name: { about: 'Profile claim (scope profile): full name.', spec: { label: 'OIDC Core §5.1', url: `${CORE}#StandardClaims` } },
  given_name: { about: 'Profile claim (scope profile): first name.', spec: { label: 'OIDC Core §5.1', url: `${CORE}#StandardClaims` } },
  family_name: { about: 'Profile claim (scope profile): last name.', spec: { label: 'OIDC Core §5.1', url: `${CORE}#StandardClaims` } },
  nickname: { about: 'Profile claim (scope profile): casual name.', spec: { label: 'OIDC Core §5.1', url: `${CORE}#StandardClaims` } },
  picture: { about: 'Profile claim (scope profile): picture URL.', spec: { label: 'OIDC Core §5.1', url: `${CORE}#StandardClaims` } },
  email: { about: 'Email claim (scope email). Use sub, not this, to identify the user.', spec: { label: 'OIDC Core §5.1', url: `${CORE}#StandardClaims` } },
  email_verified: { about: 'Email claim (scope email): whether the address was proven to belong to the user.', spec: { label: 'OIDC Core §5.1', url: `${CORE}#StandardClaims` } },
}

export const CUSTOM_CLAIM: Explanation = {
  about: 'A custom claim. Auth0 asks for namespaced names (https://example.com/roles) so they never clash with standard ones.',
  spec: { label: 'Auth0: custom claims', url: 'https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims' },
}

export interface ErrorHelp {
  meaning: string
  fix: string
  spec: Link
}

const AUTH_ERRORS: Link = { label: 'RFC 6749 §4.1.2.1', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1' }
const TOKEN_ERRORS: Link = { label: 'RFC 6749 §5.2', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-5.2' }
const OIDC_ERRORS: Link = { label: 'OIDC Core §3.1.2.6', url: `${CORE}#AuthError` }

/** Errors teach: what the code means, and what usually fixes it in a Gatehouse tenant. */
export const ERRORS: Record<string, ErrorHelp> = {
  invalid_request: { meaning: 'A parameter is missing, repeated or malformed.', fix: 'Read error_description: it names the parameter.', spec: AUTH_ERRORS },
  unauthorized_client: { meaning: 'This client may not use this grant or response type.', fix: 'Add the grant type to the client’s grant_types in the config.', spec: AUTH_ERRORS },
  access_denied: { meaning: 'The user (or the server) said no.', fix: 'Press Allow on the consent page; for client credentials, add a client_grants entry for the API.', spec: AUTH_ERRORS },
  unsupported_response_type: { meaning: 'The server does not know this response_type.', fix: 'Use a combination of code, token and id_token.', spec: AUTH_ERRORS },
  invalid_scope: { meaning: 'A scope is unknown, or belongs to another API than the audience names.', fix: 'Pick scopes of the selected API (see the API’s scopes in the config), or change the audience.', spec: AUTH_ERRORS },
  server_error: { meaning: 'Something broke inside the server.', fix: 'Look at the Gatehouse log.', spec: AUTH_ERRORS },
  login_required: { meaning: 'prompt=none, but nobody is signed in at Gatehouse in this browser.', fix: 'Run an interactive flow first (which sets the session cookie), then try again.', spec: OIDC_ERRORS },
  consent_required: { meaning: 'prompt=none, but the user has not granted these scopes to this client yet.', fix: 'Run an interactive flow with the same scopes and press Allow, then try again.', spec: OIDC_ERRORS },
  interaction_required: { meaning: 'prompt=none, but the server needs to show a page.', fix: 'Run the flow interactively.', spec: OIDC_ERRORS },
  invalid_client: { meaning: 'Client authentication failed.', fix: 'Check client_id and client_secret.', spec: TOKEN_ERRORS },
  invalid_grant: { meaning: 'The code, refresh token or password is wrong, expired, already used, or for another client or redirect_uri.', fix: 'Codes last one minute and work once; rotated refresh tokens work once: start the flow again.', spec: TOKEN_ERRORS },
  unsupported_grant_type: { meaning: 'The server does not know this grant_type.', fix: 'Use authorization_code, refresh_token, client_credentials or password.', spec: TOKEN_ERRORS },
  invalid_token: { meaning: 'The API refused the token itself: bad signature, wrong issuer or audience, or expired.', fix: 'error_description says which; get a new token for the right audience.', spec: { label: 'RFC 6750 §3.1', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1' } },
  insufficient_scope: { meaning: 'The token is valid but lacks a scope the API needs.', fix: 'Ask for the scope named in the WWW-Authenticate header.', spec: { label: 'RFC 6750 §3.1', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1' } },
}
