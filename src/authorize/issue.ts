import type { AuthorizationCode } from '../grants/records.js'
import { planTokens, planToKeep, type TokenPlan } from '../tokens/plan.js'
import type { AuthorizeContext } from './context.js'

/** Mints what response_type asked for; the returned parameters go to the client through the response mode. */
export async function issueAuthorizationResponse(ctx: AuthorizeContext): Promise<Record<string, string>> {
  const { config, store, minter, newId } = ctx.deps
  const client = ctx.client!
  const user = ctx.user!
  const session = ctx.session!
  const out: Record<string, string> = {}
  const plan = await planFor(ctx)
  // What the stages granted is what was issued (RBAC may narrow, an Action may add).
  ctx.scopes = plan.scopes

  let code: string | undefined
  if (ctx.responseTypes.has('code')) {
    code = newId()
    const record: AuthorizationCode = {
      clientId: client.client_id,
      redirectUri: ctx.redirectUri!,
      redirectUriGiven: ctx.params.redirect_uri !== undefined,
      codeChallenge: ctx.params.code_challenge,
      nonce: ctx.params.nonce,
      sub: user.user_id,
      audience: ctx.api?.identifier,
      scopes: ctx.scopes,
      authTime: session.authTime,
      jti: newId(),
      family: newId(),
    }
    const kept = planToKeep(plan)
    if (kept) record.plan = kept
    await store.set('code', code, record, config.ttl.code)
    out.code = code
  }

  let accessToken: string | undefined
  if (ctx.responseTypes.has('token')) {
    const minted = await minter.accessToken({
      sub: user.user_id,
      clientId: client.client_id,
      api: ctx.api,
      scope: ctx.scopes,
      userinfo: ctx.scopes.includes('openid'),
      lifetime: plan.accessLifetime ?? ctx.api?.token_lifetime_for_web ?? 7200,
      extraClaims: plan.accessClaims,
    })
    accessToken = minted.token
    out.access_token = minted.token
    out.token_type = 'Bearer'
    out.expires_in = String(minted.expiresIn)
    // scope needs at least one value (RFC 6749 §3.3)
    if (ctx.scopes.length > 0) out.scope = ctx.scopes.join(' ')
  }

  if (ctx.responseTypes.has('id_token')) {
    out.id_token = await minter.idToken({
      user,
      clientId: client.client_id,
      alg: client.jwt_configuration?.alg,
      scope: ctx.scopes,
      lifetime: plan.idLifetime ?? config.ttl.id_token,
      authTime: session.authTime,
      nonce: ctx.params.nonce,
      accessToken,
      code,
      extraClaims: plan.idClaims,
    })
  }
  return out
}

function planFor(ctx: AuthorizeContext): Promise<TokenPlan> {
  const authorize: Record<string, string> = {}
  for (const [name, value] of Object.entries(ctx.params)) if (value !== undefined) authorize[name] = value
  return planTokens(
    ctx.deps.tokenStages,
    {
      trigger: 'authorize',
      client: ctx.client!,
      user: ctx.user,
      api: ctx.api,
      request: ctx.request,
      authorize,
      sessionId: ctx.session?.id,
      authTime: ctx.session?.authTime,
      responseTypes: [...ctx.responseTypes],
      responseMode: ctx.responseMode,
      redirectUri: ctx.redirectUri,
    },
    ctx.scopes,
  )
}
