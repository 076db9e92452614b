import type { GrantType } from '../config/types.js'
import { InvalidRequest, UnauthorizedClient } from '../errors/oauth-errors.js'
import type { TokenRequest } from './context.js'

export function requireParam(request: TokenRequest, name: string): string {
  const value = request.params[name]
  if (value === undefined) throw new InvalidRequest(`missing required parameter: ${name}`)
  return value
}

export function requireGrantType(request: TokenRequest, grant: GrantType): void {
  const { client } = request.auth
  if (!client.grant_types.includes(grant)) {
    throw new UnauthorizedClient(`client ${client.client_id} is not allowed the ${grant} grant`)
  }
}
