import { OIDC_SCOPES } from '../scopes/scopes.js'

const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none']

/** OpenID Provider / RFC 8414 metadata: exactly what Gatehouse implements, nothing more. */
export function providerMetadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}authorize`,
    token_endpoint: `${issuer}oauth/token`,
    userinfo_endpoint: `${issuer}userinfo`,
    jwks_uri: `${issuer}.well-known/jwks.json`,
    end_session_endpoint: `${issuer}oidc/logout`,
    revocation_endpoint: `${issuer}oauth/revoke`,
    introspection_endpoint: `${issuer}oauth/introspect`,
    response_types_supported: [
      'code',
      'token',
      'id_token',
      'id_token token',
      'code id_token',
      'code token',
      'code id_token token',
    ],
    response_modes_supported: ['query', 'fragment', 'form_post', 'web_message'],
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials', 'password'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: [...OIDC_SCOPES],
    claims_supported: [
      'iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'c_hash',
      'name', 'given_name', 'family_name', 'nickname', 'picture', 'email', 'email_verified',
    ],
    subject_types_supported: ['public'],
    // a client's jwt_configuration.alg picks one; APIs verifying access tokens often allow only these (express-oauth2-jwt-bearer)
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    prompt_values_supported: ['none', 'login', 'consent'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  }
}
