// id_token_hint (RP-Initiated Logout 1.0 §2): an ID token Gatehouse issued, expired or not.
import { compactVerify, decodeJwt, errors } from 'jose'
import { UntrustedRequest } from '../errors/oauth-errors.js'
import type { Keystore } from '../keys/keystore.js'

export interface IdTokenHint {
  clientId: string
  sub: string
}

/**
 * Checks the signature and the issuer, not the expiry: a hint is often presented after its token
 * expired, and it only names who is logging out, it grants nothing.
 */
export async function verifyIdTokenHint(deps: { keystore: Keystore; config: { issuer: string } }, hint: string): Promise<IdTokenHint> {
  let typ: string | undefined
  try {
    ;({ protectedHeader: { typ } } = await compactVerify(hint, deps.keystore.verifier, { algorithms: ['RS256', 'ES256'] }))
  } catch (err) {
    if (err instanceof errors.JOSEError) throw invalid(`its signature does not verify (${err.message})`)
    throw err
  }
  // Access tokens are signed with the same keys; their typ tells them apart (RFC 9068 §2.1).
  if (typ !== undefined && typ.toUpperCase() !== 'JWT') throw invalid(`its typ is ${typ}, an ID token's is JWT`)
  let claims
  try {
    claims = decodeJwt(hint)
  } catch {
    throw invalid('its payload is not a JWT claims set')
  }
  if (claims.iss !== deps.config.issuer) throw invalid(`it was issued by ${String(claims.iss)}, not ${deps.config.issuer}`)
  if (typeof claims.aud !== 'string' || typeof claims.sub !== 'string') throw invalid('it lacks a single aud or a sub')
  return { clientId: claims.aud, sub: claims.sub }
}

const invalid = (why: string) => new UntrustedRequest('invalid_request', `id_token_hint is not an ID token from this issuer: ${why}`)
