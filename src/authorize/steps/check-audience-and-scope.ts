import { mayGetRefreshToken, resolveAudienceAndScopes } from '../../scopes/scopes.js'
import { splitList } from '../params.js'
import type { AuthorizeContext } from '../context.js'

// audience names an API (Auth0's extension); scopes must be OIDC ones or defined by that API.
// offline_access is only meaningful where a refresh token can be issued: otherwise it is left out of the grant.
export async function checkAudienceAndScope(ctx: AuthorizeContext): Promise<void> {
  const { api, scopes } = await resolveAudienceAndScopes(
    ctx.deps.store,
    // Auth0's tenant default_audience stands in for an omitted audience
    ctx.params.audience ?? ctx.deps.config.tenant.default_audience,
    splitList(ctx.params.scope),
    (named) => ctx.responseTypes.has('code') && mayGetRefreshToken(ctx.client!, named),
  )
  ctx.api = api
  ctx.scopes = scopes
}
