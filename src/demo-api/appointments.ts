// The demo appointments API: checks an access token the way Auth0 tells API authors to — signature
// against the issuer's JWKS, then iss, aud, exp — then the scope, and answers with sample appointments.
// Like any API that verifies JWTs locally, it cannot know whether a token was revoked since.
import { decodeProtectedHeader, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { InvalidToken, OAuthError } from '../errors/oauth-errors.js'
import { bearerChallenge } from '../userinfo/bearer.js'
import type { Clock } from '../util/clock.js'
import { DEMO_API_AUDIENCE, DEMO_API_SCOPE } from './constants.js'

const DEMO_API_REALM = 'demo-api'

export interface Appointment {
  id: string
  title: string
  starts_at: string
  where: string
}

export interface AppointmentsAnswer {
  /** what the API learned from the token it accepted */
  sub: string
  client_id: string | undefined
  scope: string[]
  /** what it checked, in order */
  checked: string[]
  appointments: Appointment[]
}

export interface DemoApiDeps {
  /** resolves the public keys published at jwks_uri: an API never sees private keys */
  keys: JWTVerifyGetKey
  clock: Clock
  issuer: string
}

/** RFC 6750 §3.1: the token is fine, but lacks the scope this resource needs (403). */
export class InsufficientScope extends OAuthError {
  constructor(
    description: string,
    readonly scope: string,
  ) {
    super('insufficient_scope', description, 403)
  }
}

const SAMPLE: readonly Appointment[] = [
  { id: 'apt-1', title: 'Dentist check-up', starts_at: '2030-03-04T09:30:00Z', where: 'Smile Street 12' },
  { id: 'apt-2', title: 'Coffee with the OAuth study group', starts_at: '2030-03-05T15:00:00Z', where: 'Café Redirect' },
  { id: 'apt-3', title: 'Renew passport', starts_at: '2030-03-11T11:15:00Z', where: 'Town hall, desk 4' },
]

/** `read(token)`: the appointments for a valid token, or an OAuthError saying what is wrong with it. */
export function createAppointmentsApi(deps: DemoApiDeps) {
  const { keys } = deps
  return {
    async read(token: string): Promise<AppointmentsAnswer> {
      const { payload, protectedHeader } = await verifyToken(token)
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : []
      if (!scopes.includes(DEMO_API_SCOPE)) {
        throw new InsufficientScope(
          `the access token lacks the scope ${DEMO_API_SCOPE} (it has: ${scopes.join(' ') || 'no scope'})`,
          DEMO_API_SCOPE,
        )
      }
      const { alg, kid } = protectedHeader
      return {
        sub: String(payload.sub),
        client_id: typeof payload.azp === 'string' ? payload.azp : undefined,
        scope: scopes,
        checked: [
          `signature: ${alg} with the JWKS key whose kid is ${kid}`,
          `iss is ${deps.issuer}`,
          `aud includes ${DEMO_API_AUDIENCE}`,
          `exp ${payload.exp} is in the future`,
          `scope includes ${DEMO_API_SCOPE}`,
        ],
        appointments: SAMPLE.map((a) => ({ ...a })),
      }
    },
  }

  async function verifyToken(token: string): Promise<{ payload: JWTPayload; protectedHeader: JWTHeaderParameters }> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, {
        issuer: deps.issuer,
        audience: DEMO_API_AUDIENCE,
        algorithms: ['RS256', 'ES256'],
        currentDate: new Date(deps.clock.now()),
      })
      return { payload, protectedHeader }
    } catch (err) {
      throw new InvalidToken(describeFailure(err, token, deps.issuer))
    }
  }
}

/** The reason in words a learner can act on; jose checks the signature before any claim. */
function describeFailure(err: unknown, token: string, issuer: string): string {
  if (err instanceof errors.JWTExpired) {
    const exp = Number(err.payload.exp)
    return `the access token expired at ${new Date(exp * 1000).toISOString()}`
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    const got = JSON.stringify(err.payload[err.claim])
    if (err.claim === 'aud') return `the access token is not meant for this API: aud must include ${DEMO_API_AUDIENCE}, got ${got}`
    if (err.claim === 'iss') return `the access token was issued by ${got}, not by ${issuer}`
    return `the access token's ${err.claim} claim is not valid (${err.reason})`
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) {
    return 'the signature does not match: the token was changed after it was signed, or signed with another key'
  }
  if (err instanceof errors.JWKSNoMatchingKey) return `no key in the JWKS has the kid ${String(safeKid(token))}`
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the access token is signed with an algorithm this API does not accept'
  if (err instanceof errors.JOSEError) return 'the access token is not a well-formed signed JWT'
  throw err
}

function safeKid(token: string): string | undefined {
  try {
    return decodeProtectedHeader(token).kid
  } catch {
    return undefined
  }
}

/** The WWW-Authenticate value (RFC 6750 §3): bare without a token, else the error, and the scope needed. */
export const demoApiChallenge = (error?: OAuthError): string =>
  bearerChallenge(error, { realm: DEMO_API_REALM, scope: error instanceof InsufficientScope ? error.scope : undefined })
