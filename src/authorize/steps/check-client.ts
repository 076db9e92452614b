import type { Client } from '../../config/types.js'
import { UnknownClient, UntrustedRequest } from '../../errors/oauth-errors.js'
import type { AuthorizeContext } from '../context.js'

// An unknown client can't be trusted with a redirect: its errors are shown as a page.
export async function checkClient(ctx: AuthorizeContext): Promise<void> {
  const problem = ctx.problems.client_id
  if (problem) throw new UntrustedRequest('invalid_request', problem)
  const clientId = ctx.params.client_id
  if (!clientId) throw new UntrustedRequest('invalid_request', 'missing required parameter: client_id')
  const client = await ctx.deps.store.get<Client>('client', clientId)
  if (!client) throw new UnknownClient(clientId)
  ctx.client = client
}
