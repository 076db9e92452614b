import type { Client, ResourceServer, User } from '../config/types.js'
import { planTokens, type RequestFacts, type TokenPlan, type TokenTrigger } from '../tokens/plan.js'
import { epochSeconds } from '../util/clock.js'
import { linkToFamily } from './revocation.js'
import type { GrantDeps, IssuedTokens, TokenResponse } from './context.js'
import type { RefreshTokenRecord } from './records.js'

export interface IssueInput {
  /** which flow: the token plan's stages decide by it */
  trigger: Exclude<TokenTrigger, 'authorize'>
  /** the HTTP request, for the plan's stages */
  request?: RequestFacts
  /** a plan made earlier (a code's, at /authorize), continued here */
  plan?: Partial<TokenPlan>
  /** a plan already made in full by the grant (its stages ran): signed as it is */
  decided?: TokenPlan
  client: Client
  user?: User
  api?: ResourceServer
  scopes: string[]
  /** scopes of the whole grant, kept by a new refresh token (RFC 6749 §6); defaults to scopes */
  grantScopes?: string[]
  /** seconds since the epoch, for auth_time */
  authTime?: number
  nonce?: string
  /** Auth0's gty claim */
  gty?: string
  /** refresh token family to continue, or undefined to start one when offline_access was granted */
  family?: string
  /** the id of a family started here, when it was chosen earlier (a code's, so its replay reaches it) */
  newFamily?: string
  /** expiry of the family being continued: a rotated token never outlives the first (seconds since the epoch) */
  refreshExpiresAt?: number
  /** false: do not issue a new refresh token (non-rotating refresh keeps the old one) */
  refresh?: boolean
  /** the access token's id when it was chosen before signing (code exchange) */
  jti?: string
}

/** Auth0's default lifetime of an access token from the token endpoint, unless the API sets one. */
export const accessTokenLifetime = (api?: ResourceServer): number => api?.token_lifetime ?? 86400

/** Mints the token endpoint's response: access token, ID token when openid, refresh token when offline_access. */
export async function issueTokens(deps: GrantDeps, input: IssueInput): Promise<IssuedTokens> {
  const { minter, config, store, newId, clock } = deps
  const { client, user, api } = input
  const plan = input.decided ?? (await planTokens(deps.tokenStages, { trigger: input.trigger, client, user, api, request: input.request }, input.scopes, input.plan))
  const { scopes } = plan
  const sub = user?.user_id ?? `${client.client_id}@clients`
  const access = await minter.accessToken({
    sub,
    clientId: client.client_id,
    api,
    scope: scopes,
    userinfo: user !== undefined && scopes.includes('openid'),
    lifetime: plan.accessLifetime ?? accessTokenLifetime(api),
    gty: input.gty,
    jti: input.jti,
    extraClaims: plan.accessClaims,
  })
  const response: TokenResponse = { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn }
  if (scopes.length > 0) response.scope = scopes.join(' ')
  if (user && scopes.includes('openid')) {
    response.id_token = await minter.idToken({
      user,
      clientId: client.client_id,
      alg: client.jwt_configuration?.alg,
      scope: scopes,
      lifetime: plan.idLifetime ?? config.ttl.id_token,
      authTime: input.authTime,
      nonce: input.nonce,
      accessToken: access.token,
      extraClaims: plan.idClaims,
    })
  }
  let family = input.family
  const grantScopes = input.grantScopes ?? scopes
  if (user && input.refresh !== false && grantScopes.includes('offline_access')) {
    family ??= input.newFamily ?? newId()
    const now = epochSeconds(clock)
    const token = newId(48)
    const expiresAt = input.refreshExpiresAt ?? now + config.ttl.refresh_token
    const record: RefreshTokenRecord = {
      clientId: client.client_id,
      sub: user.user_id,
      audience: api?.identifier,
      scopes: grantScopes,
      authTime: input.authTime ?? now,
      family,
      issuedAt: now,
      expiresAt,
    }
    await store.set('refresh_token', token, record, expiresAt - now)
    response.refresh_token = token
  }
  if (family) await linkToFamily(store, access.jti, family, Number(access.claims.exp) - epochSeconds(clock))
  return { response, userId: user?.user_id, jti: access.jti }
}
