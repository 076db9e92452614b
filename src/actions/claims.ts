// Auth0's rules for the custom claims an Action sets (its "Create Custom Claims" page): restricted
// names are refused, Auth0's own domains are no namespace, access tokens for the Management API take
// namespaced claims only, and the custom claims of one token weigh at most 100 KB.
import { OAuthError } from '../errors/oauth-errors.js'
import { managementAudience } from '../management/scopes.js'
import type { Command } from './protocol.js'

/** Claims Auth0 lets no Action set, as its documentation lists them. */
export const RESTRICTED_CLAIMS: ReadonlySet<string> = new Set([
  'acr', 'act', 'active', 'amr', 'at_hash', 'ath', 'attest', 'aud', 'auth_time', 'authorization_details', 'azp',
  'c_hash', 'client_id', 'cnf', 'cty', 'dest', 'entitlements', 'events', 'exp', 'groups', 'gty', 'htm', 'htu', 'iat',
  'internalService', 'iss', 'jcard', 'jku', 'jti', 'jwe', 'jwk', 'kid', 'may_act', 'mky', 'nbf', 'nonce', 'object_id',
  'org_id', 'org_name', 'orig', 'origid', 'permissions', 'roles', 'rph', 's_hash', 'sid', 'sip_callid', 'sip_cseq_num',
  'sip_date', 'sip_from_tag', 'sip_via_branch', 'sub', 'sub_jwk', 'toe', 'txn', 'typ', 'uuid', 'vot', 'vtm', 'x5t#S256',
])

/** Domains Auth0 keeps for itself: a claim namespaced under them is refused. */
const AUTH0_DOMAINS = ['auth0.com', 'webtask.io', 'webtask.run']

/** Auth0's limit on the custom claims of one token, in bytes of JSON. */
const MAX_CUSTOM_CLAIMS_BYTES = 100 * 1024

export interface ClaimTarget {
  token: 'access' | 'id'
  /** the access token's audience */
  audience?: string
  issuer: string
}

/** Why the claim may not be set, or undefined when it may. */
export function claimRefusal(name: string, target: ClaimTarget): string | undefined {
  if (RESTRICTED_CLAIMS.has(name)) return `"${name}" is one of the claims Auth0 restricts`
  // Gatehouse sets scope from what was granted; an Action changes it with addScope / removeScope.
  if (name === 'scope') return '"scope" is set from the granted scopes (use api.accessToken.addScope / removeScope)'
  if (name.toLowerCase().startsWith('urn:auth0')) return 'the urn:auth0 namespace is reserved by Auth0'
  const host = namespaceHost(name)
  if (host !== undefined && AUTH0_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
    return `${host} is an Auth0 domain, which cannot be a namespace (${AUTH0_DOMAINS.join(', ')})`
  }
  if (host === undefined && target.token === 'access' && target.audience === managementAudience(target.issuer)) {
    return 'access tokens for the Management API take namespaced claims only (an http or https URL)'
  }
  return undefined
}

/** The host of a namespaced claim (one that is an http or https URL), else undefined. */
function namespaceHost(name: string): string | undefined {
  if (!/^https?:\/\//i.test(name)) return undefined
  try {
    return new URL(name).hostname.toLowerCase()
  } catch {
    return undefined
  }
}

export type ClaimCheck = (name: string, token: 'access' | 'id', audience: string | undefined) => string | undefined

/** claimRefusal for one issuer, remembering its answers: Actions set the same few claims on every login. */
export function createClaimCheck(issuer: string): ClaimCheck {
  const known = new Map<string, string | undefined>()
  return (name, token, audience) => {
    const key = `${token} ${audience ?? ''} ${name}`
    if (known.has(key)) return known.get(key)
    const refusal = claimRefusal(name, { token, audience, issuer })
    // bounded: claim names come from the Actions, which may build them from user data
    if (known.size >= 1000) known.clear()
    known.set(key, refusal)
    return refusal
  }
}

/** Bytes of JSON the claims take. */
const claimsSize = (claims: Record<string, unknown>): number => Buffer.byteLength(JSON.stringify(claims))

const TOKEN_NAMES = { access: 'access token', id: 'ID token' } as const

/**
 * Sets an Action's custom claim in each target (an undefined value removes it), unless Auth0 would
 * refuse it: then it is left out and the reason logged, and the flow goes on.
 */
export function applyClaim(
  deps: { claimCheck: ClaimCheck; log: { warn(msg: string): void } },
  label: string,
  claim: Extract<Command, { type: 'claim' }>,
  audience: string | undefined,
  targets: readonly Record<string, unknown>[],
): void {
  const refusal = deps.claimCheck(claim.name, claim.token, audience)
  if (refusal !== undefined) {
    deps.log.warn(`${label}: custom claim "${claim.name}" not added to the ${TOKEN_NAMES[claim.token]}: ${refusal}`)
    return
  }
  for (const target of targets) {
    if (claim.value === undefined) delete target[claim.name]
    else target[claim.name] = claim.value
  }
}

/** Auth0 fails a flow whose custom claims weigh more than 100 KB in one token. */
export function checkClaimsSize(token: 'access' | 'id', claims: Record<string, unknown>): void {
  const size = claimsSize(claims)
  if (size > MAX_CUSTOM_CLAIMS_BYTES) {
    throw new OAuthError('server_error', `the custom claims of the ${TOKEN_NAMES[token]} take ${size} bytes, more than Auth0's limit of ${MAX_CUSTOM_CLAIMS_BYTES}`, 500)
  }
}
