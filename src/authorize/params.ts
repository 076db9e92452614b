// Reads /authorize parameters: one value each (RFC 6749 §3.1), bounded lengths, unknown ones ignored.

export const AUTHORIZE_PARAMS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'response_mode',
  'scope',
  'audience',
  'state',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
  'code_challenge',
  'code_challenge_method',
  'display',
  'ui_locales',
  'id_token_hint',
  'acr_values',
  'request',
  'request_uri',
  'registration',
] as const

export type AuthorizeParamName = (typeof AUTHORIZE_PARAMS)[number]
export type AuthorizeParams = Partial<Record<AuthorizeParamName, string>>

// What a paused request keeps for its resumption: the parameters the pipeline reads. Those it
// ignores (display, ui_locales, acr_values) or refuses (request, request_uri, registration) are
// not worth anyone's memory.
const NOT_RESUMED: ReadonlySet<AuthorizeParamName> = new Set(['display', 'ui_locales', 'acr_values', 'request', 'request_uri', 'registration'])
const RESUMED_PARAMS = AUTHORIZE_PARAMS.filter((name) => !NOT_RESUMED.has(name))

export function paramsToResume(params: AuthorizeParams): AuthorizeParams {
  const kept: AuthorizeParams = {}
  for (const name of RESUMED_PARAMS) if (params[name] !== undefined) kept[name] = params[name]
  return kept
}

/** Longest value accepted for any parameter; keeps logs, pages and stored interactions small. */
export const MAX_PARAM_LENGTH = 2048

export interface ParsedParams {
  params: AuthorizeParams
  /** parameters that were repeated or too long, with why */
  problems: Partial<Record<AuthorizeParamName, string>>
}

export function parseAuthorizeParams(raw: unknown): ParsedParams {
  const source = (raw ?? {}) as Record<string, unknown>
  const params: AuthorizeParams = {}
  const problems: ParsedParams['problems'] = {}
  for (const name of AUTHORIZE_PARAMS) {
    const value = source[name]
    if (value === undefined) continue
    if (Array.isArray(value)) {
      problems[name] = `parameter ${name} must not be repeated`
      continue
    }
    if (typeof value !== 'string') {
      problems[name] = `parameter ${name} must be a string`
      continue
    }
    if (value.length > MAX_PARAM_LENGTH) {
      problems[name] = `parameter ${name} is longer than ${MAX_PARAM_LENGTH} characters`
      continue
    }
    // An empty value is treated as omitted (RFC 6749 §3.1).
    if (value !== '') params[name] = value
  }
  return { params, problems }
}

/** Space-delimited list (scope, response_type, prompt) as a de-duplicated array, order kept. */
export const splitList = (value: string | undefined): string[] =>
  value === undefined ? [] : [...new Set(value.split(' ').filter(Boolean))]
