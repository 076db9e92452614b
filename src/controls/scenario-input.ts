// POST /_gatehouse/scenarios: the body, checked field by field. A scenario that could never match where
// its answer is decided is refused here, with the reason, rather than left to wait forever.
import { PROTOCOL_CLAIMS } from '../tokens/mint.js'
import {
  ControlInputError,
  readChoice,
  readClaims,
  readInteger,
  readObject,
  readText,
  refuseUnknown,
  required,
  type JsonObject,
} from './input.js'
import { SCENARIO_ENDPOINTS, type ScenarioEndpoint, type ScenarioMatch, type ScenarioResponse, type ScenarioSpec } from './scenario-types.js'

const MAX_TIMES = 1000
/** a year: lifetimes are positive (a token that is expired already is minted with POST /_gatehouse/tokens) */
const MAX_EXPIRES_IN = 365 * 24 * 3600
const MAX_CLAIMS_BYTES = 8 * 1024

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', 'password'] as const

// RFC 6749 §5.2: error is a code; error_description is printable ASCII without '"' and '\'.
const ERROR_CODE = { test: /^[a-z0-9_.-]+$/i, says: 'must be an error code of letters, digits, "_", "." and "-" (e.g. login_required)' }
const DESCRIPTION = { test: /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/, says: 'must be printable ASCII without " and \\ (RFC 6749 §5.2)' }
const ID_TEXT = { max: 256 }


/** Which match fields each endpoint knows when its answer is decided. */
const MATCH_FIELDS: Record<ScenarioEndpoint, readonly (keyof ScenarioMatch)[]> = {
  authorize: ['client_id', 'user_id'],
  token: ['client_id', 'grant_type', 'user_id'],
  userinfo: ['client_id', 'user_id'],
  login: ['client_id', 'user_id'],
}

export function parseScenario(body: unknown): ScenarioSpec {
  const input = readObject(body, '')
  refuseUnknown(input, ['on', 'match', 'respond', 'times'], '')
  const on = required(readChoice(input, 'on', '', SCENARIO_ENDPOINTS), 'on')
  const match = parseMatch(input.match, on)
  const respond = parseRespond(required(input.respond, 'respond'), on)
  checkDecidable(on, match, respond)
  const times = readInteger(input, 'times', '', 1, MAX_TIMES) ?? 1
  return { on, match, respond, times }
}

function parseMatch(value: unknown, on: ScenarioEndpoint): ScenarioMatch {
  if (value === undefined) return {}
  const object = readObject(value, 'match')
  refuseUnknown(object, MATCH_FIELDS[on], 'match')
  const match: ScenarioMatch = {}
  const clientId = readText(object, 'client_id', 'match', ID_TEXT)
  const userId = readText(object, 'user_id', 'match', ID_TEXT)
  const grantType = readChoice(object, 'grant_type', 'match', GRANT_TYPES)
  if (clientId !== undefined) match.client_id = clientId
  if (userId !== undefined) match.user_id = userId
  if (grantType !== undefined) match.grant_type = grantType
  return match
}

function parseRespond(value: unknown, on: ScenarioEndpoint): ScenarioResponse {
  const object = readObject(value, 'respond')
  if (object.error !== undefined) return parseError(object)
  if (object.login_as !== undefined) {
    if (on !== 'authorize') throw new ControlInputError('respond.login_as', 'respond.login_as is for on "authorize" only')
    refuseUnknown(object, ['login_as'], 'respond')
    return { login_as: readText(object, 'login_as', 'respond', ID_TEXT)! }
  }
  if (on === 'login') throw new ControlInputError('respond.error', 'respond.error is required: a login scenario answers with an error on the login page')
  return parseClaims(object, on)
}

function parseError(object: JsonObject): ScenarioResponse {
  refuseUnknown(object, ['error', 'error_description'], 'respond')
  const error = readText(object, 'error', 'respond', { max: 64, pattern: ERROR_CODE })!
  const description = readText(object, 'error_description', 'respond', { max: 500, pattern: DESCRIPTION })
  return description === undefined ? { error } : { error, error_description: description }
}

function parseClaims(object: JsonObject, on: ScenarioEndpoint): ScenarioResponse {
  const allowed = on === 'userinfo' ? ['claims'] : ['claims', 'expires_in']
  refuseUnknown(object, allowed, 'respond')
  const claims = readClaims(object, 'claims', 'respond', MAX_CLAIMS_BYTES, PROTOCOL_CLAIMS)
  const expiresIn = readInteger(object, 'expires_in', 'respond', 1, MAX_EXPIRES_IN)
  if (claims === undefined && expiresIn === undefined) {
    throw new ControlInputError('respond', `respond must have error${on === 'authorize' ? ', login_as' : ''}, claims${on === 'userinfo' ? '' : ' or expires_in'}`)
  }
  const respond: ScenarioResponse = {}
  if (claims !== undefined) respond.claims = claims
  if (expiresIn !== undefined) respond.expires_in = expiresIn
  return respond
}

// Errors and login_as on authorize, and errors on token, are decided before the flow knows the user.
function checkDecidable(on: ScenarioEndpoint, match: ScenarioMatch, respond: ScenarioResponse): void {
  if (match.user_id === undefined) return
  const early = (on === 'authorize' && ('error' in respond || 'login_as' in respond)) || (on === 'token' && 'error' in respond)
  if (early) {
    throw new ControlInputError(
      'match.user_id',
      `match.user_id cannot match: ${on} ${'error' in respond ? 'errors are' : 'login_as is'} decided before the user is known; match by client_id${on === 'token' ? ' and grant_type' : ''}`,
    )
  }
}
