import type { ResourceServer, User } from '../config/types.js'
import { InvalidGrant } from '../errors/oauth-errors.js'
import { isWellFormedVerifier, verifyCodeVerifier } from '../tokens/pkce.js'
import { epochSeconds } from '../util/clock.js'
import type { GrantHandler, TokenRequest } from './context.js'
import { accessTokenLifetime, issueTokens } from './issue-tokens.js'
import type { AuthorizationCode, UsedCode } from './records.js'
import { requireGrantType, requireParam } from './require.js'
import { revokeAccessToken, revokeFamily } from './revocation.js'

const USED_PREFIX = 'used:'
const usedKey = (code: string) => `${USED_PREFIX}${code}`
const UNKNOWN_CODE = 'invalid authorization code: unknown, expired or already used'

// RFC 6749 §4.1.3 with PKCE (RFC 7636 §4.6). Codes are single-use: a replay revokes what the code produced.
export const authorizationCodeGrant: GrantHandler = async (request) => {
  requireGrantType(request, 'authorization_code')
  const { store, clock, config } = request.deps
  const code = requireParam(request, 'code')
  // Replay markers share the code kind: one presented as a code must not be consumed.
  if (code.startsWith(USED_PREFIX)) throw new InvalidGrant(UNKNOWN_CODE)
  const record = await store.get<AuthorizationCode>('code', code)
  if (!record) {
    await revokeReplayed(request, code)
    throw new InvalidGrant(UNKNOWN_CODE)
  }
  // Everything that can be checked is checked before the code is spent, so that whoever merely
  // sees a code cannot cancel it with a bad request.
  const client = request.auth.client
  if (record.clientId !== client.client_id) throw new InvalidGrant('the authorization code was issued to another client')
  checkRedirectUri(request, record)
  checkVerifier(request, record)
  const user = await store.get<User>('user', record.sub)
  if (!user) throw new InvalidGrant('the user of this authorization code no longer exists')
  const api = record.audience ? await store.get<ResourceServer>('resource_server', record.audience) : undefined

  // Mark first, then spend, then sign: a concurrent or later replay always finds the marker.
  const now = epochSeconds(clock)
  const used: UsedCode = { jti: record.jti, exp: now + (record.plan?.accessLifetime ?? accessTokenLifetime(api)), family: record.family }
  await store.set('code', usedKey(code), used, Math.max(used.exp - now, config.ttl.code))
  if (!(await store.consume<AuthorizationCode>('code', code))) {
    await revokeReplayed(request, code)
    throw new InvalidGrant(UNKNOWN_CODE)
  }
  return issueTokens(request.deps, {
    trigger: 'authorization_code',
    request: request.request,
    client,
    user,
    api,
    scopes: record.scopes,
    authTime: record.authTime,
    nonce: record.nonce,
    jti: record.jti,
    newFamily: record.family,
    plan: record.plan,
  })
}

function checkRedirectUri(request: TokenRequest, record: AuthorizationCode): void {
  const given = request.params.redirect_uri
  if (given === undefined && !record.redirectUriGiven) return
  if (given !== record.redirectUri) {
    throw new InvalidGrant('redirect_uri does not match the one used in the authorization request')
  }
}

function checkVerifier(request: TokenRequest, record: AuthorizationCode): void {
  const verifier = request.params.code_verifier
  if (record.codeChallenge === undefined) {
    // A verifier without a challenge means the challenge was stripped on the way (RFC 9700 §4.8.2).
    if (verifier !== undefined) throw new InvalidGrant('code_verifier given but the authorization request had no code_challenge')
    return
  }
  if (verifier === undefined) throw new InvalidGrant('missing code_verifier: the authorization request used PKCE')
  if (!isWellFormedVerifier(verifier)) throw new InvalidGrant('code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]')
  if (!verifyCodeVerifier(verifier, record.codeChallenge)) throw new InvalidGrant('code_verifier does not match the code_challenge')
}

async function revokeReplayed(request: TokenRequest, code: string): Promise<void> {
  const { store, clock, config } = request.deps
  const used = await store.get<UsedCode>('code', usedKey(code))
  if (!used) return
  await revokeAccessToken(store, used.jti, used.exp - epochSeconds(clock))
  await revokeFamily(store, used.family, config.ttl.refresh_token)
}
