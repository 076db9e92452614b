import type { GrantType } from '../config/types.js'
import { authorizationCodeGrant } from './authorization-code.js'
import { clientCredentialsGrant } from './client-credentials.js'
import type { GrantHandler } from './context.js'
import { passwordGrant } from './password.js'
import { refreshTokenGrant } from './refresh-token.js'

/** The token endpoint's grant types; each handler gets an authenticated client. */
export const grantHandlers: Partial<Record<GrantType, GrantHandler>> = {
  authorization_code: authorizationCodeGrant,
  refresh_token: refreshTokenGrant,
  client_credentials: clientCredentialsGrant,
  password: passwordGrant,
}
