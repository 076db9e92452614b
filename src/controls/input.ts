// Reading a control request's JSON: every refusal names the field, and fields nobody asked for are refused.

/** A malformed control request: 400 with the field's name. */
export class ControlInputError extends Error {
  readonly field: string
  constructor(field: string, message: string) {
    super(message)
    this.name = 'ControlInputError'
    this.field = field
  }

  toJSON() {
    return { error: 'invalid_request', error_description: this.message, field: this.field }
  }
}

export type JsonObject = Record<string, unknown>

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value)

const isObject = (value: unknown): value is JsonObject => value !== null && typeof value === 'object' && !Array.isArray(value)

/** A JSON object; `field` '' is the body itself. */
export function readObject(value: unknown, field: string): JsonObject {
  if (!isObject(value)) throw new ControlInputError(field || 'body', `${field || 'the body'} must be a JSON object, not ${kindOf(value)}`)
  return value
}

/** Refuses members other than `allowed`, naming the first one. */
export function refuseUnknown(object: JsonObject, allowed: readonly string[], parent: string): void {
  const unknown = Object.keys(object).find((key) => !allowed.includes(key))
  if (unknown !== undefined) {
    const field = join(parent, unknown)
    throw new ControlInputError(field, `${field} is not a known field (known: ${allowed.join(', ')})`)
  }
}

export const join = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`)

export interface TextRule {
  max: number
  /** what the characters must match, with the words that say so */
  pattern?: { test: RegExp; says: string }
}

export function readText(object: JsonObject, key: string, parent: string, rule: TextRule): string | undefined {
  const value = object[key]
  if (value === undefined) return undefined
  const field = join(parent, key)
  if (typeof value !== 'string' || value.length === 0 || value.length > rule.max) {
    throw new ControlInputError(field, `${field} must be a string of 1 to ${rule.max} characters`)
  }
  if (rule.pattern && !rule.pattern.test.test(value)) throw new ControlInputError(field, `${field} ${rule.pattern.says}`)
  return value
}

export function readInteger(object: JsonObject, key: string, parent: string, min: number, max: number): number | undefined {
  const value = object[key]
  if (value === undefined) return undefined
  const field = join(parent, key)
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ControlInputError(field, `${field} must be a whole number from ${min} to ${max}`)
  }
  return value
}

export function readChoice<T extends string>(object: JsonObject, key: string, parent: string, choices: readonly T[]): T | undefined {
  const value = object[key]
  if (value === undefined) return undefined
  const field = join(parent, key)
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ControlInputError(field, `${field} must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`)
  }
  return value as T
}

/** Fails when the member is absent. */
export function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new ControlInputError(field, `${field} is required`)
  return value
}

/** A JSON object of claims: at most `maxBytes` of JSON, without the names in `reserved`. */
export function readClaims(object: JsonObject, key: string, parent: string, maxBytes: number, reserved: ReadonlySet<string>): JsonObject | undefined {
  const value = object[key]
  if (value === undefined) return undefined
  const field = join(parent, key)
  const claims = readObject(value, field)
  const taken = Object.keys(claims).find((name) => reserved.has(name))
  if (taken !== undefined) {
    throw new ControlInputError(join(field, taken), `${join(field, taken)} is set by the signer and cannot be scripted (mint a token with POST /_gatehouse/tokens for any claims)`)
  }
  if (Buffer.byteLength(JSON.stringify(claims)) > maxBytes) throw new ControlInputError(field, `${field} must be at most ${maxBytes} bytes of JSON`)
  return claims
}
