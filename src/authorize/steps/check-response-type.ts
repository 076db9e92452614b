import type { GrantType } from '../../config/types.js'
import { InvalidRequest, UnauthorizedClient, UnsupportedResponseType } from '../../errors/oauth-errors.js'
import { splitList } from '../params.js'
import type { AuthorizeContext, ResponseTypeValue } from '../context.js'

const KNOWN: readonly string[] = ['code', 'token', 'id_token'] satisfies ResponseTypeValue[]

// Any combination of code, token and id_token, in any order (OAuth 2.0 Multiple Response Types).
export function checkResponseType(ctx: AuthorizeContext): void {
  const raw = ctx.params.response_type
  if (!raw) throw new InvalidRequest('missing required parameter: response_type')
  const values = splitList(raw)
  const unknown = values.find((value) => !KNOWN.includes(value))
  if (unknown !== undefined || values.length === 0) {
    throw new UnsupportedResponseType(`unsupported response_type: ${raw}`)
  }
  const types = new Set(values as ResponseTypeValue[])
  const client = ctx.client!
  const needs = (grant: GrantType, why: string) => {
    if (!client.grant_types.includes(grant)) {
      throw new UnauthorizedClient(`client ${client.client_id} is not allowed the ${grant} grant (${why})`)
    }
  }
  if (types.has('code')) needs('authorization_code', `response_type ${raw}`)
  if (types.has('token') || types.has('id_token')) needs('implicit', `response_type ${raw}`)
  ctx.responseTypes = types
}
