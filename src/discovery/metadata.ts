import { OIDC_SCOPES } from '../scopes/scopes.js'

/** OpenID Provider / RFC 8414 metadata: exactly what Gatehouse implements, nothing more. */
export function providerMetadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}authorize`,
    jwks_uri: `${issuer}.well-known/jwks.json`,
    response_types_supported: ['token', 'id_token', 'id_token token'],
    response_modes_supported: ['fragment', 'form_post'],
    grant_types_supported: ['implicit'],
    scopes_supported: [...OIDC_SCOPES].filter((scope) => scope !== 'offline_access'),
    claims_supported: [
      'iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash',
      'name', 'given_name', 'family_name', 'nickname', 'picture', 'email', 'email_verified',
    ],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    prompt_values_supported: ['none', 'login', 'consent'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  }
}
