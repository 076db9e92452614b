// Bodies and query strings checked against each endpoint's JSON Schema, failing with Auth0's messages:
// `Payload validation error: 'Missing required property: connection'.` (errorCode invalid_body), and
// `Query validation error: '…' on property per_page.` (errorCode invalid_query_string).

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { configFormats } from '../config/formats.js'
import { formatPath } from '../config/schema.js'
import { invalidBody, invalidQuery } from './errors.js'

export type Validator<T> = (data: unknown) => T

function createAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ verbose: true, strict: true, allowUnionTypes: true, coerceTypes })
  // the config file's formats: what the file may hold, the Management API may set
  for (const [name, format] of Object.entries(configFormats)) ajv.addFormat(name, format)
  return ajv
}

// Query strings arrive as text: "2" and "true" are coerced to the schema's integer and boolean.
let bodies: Ajv | undefined
let queries: Ajv | undefined

/** The type name as Auth0's validator says it. */
function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/** One ajv error in Auth0's (z-schema's) words, without the "on property" part. */
function describe(error: ErrorObject): { message: string; pointer: string } {
  const params = error.params as Record<string, unknown>
  const data = error.data
  const pointer = error.instancePath
  switch (error.keyword) {
    case 'required':
      return { message: `Missing required property: ${String(params.missingProperty)}`, pointer }
    case 'additionalProperties':
      return { message: `Additional properties not allowed: ${String(params.additionalProperty)}`, pointer }
    case 'type':
      return { message: `Expected type ${String(params.type).replace(',', ' or ')} but found type ${typeOf(data)}`, pointer }
    case 'minLength':
      return { message: `String is too short (${String(data).length} chars), minimum ${String(params.limit)}`, pointer }
    case 'maxLength':
      return { message: `String is too long (${String(data).length} chars), maximum ${String(params.limit)}`, pointer }
    case 'minimum':
      return { message: `Value ${String(data)} is less than minimum ${String(params.limit)}`, pointer }
    case 'maximum':
      return { message: `Value ${String(data)} is greater than maximum ${String(params.limit)}`, pointer }
    case 'minItems':
      return { message: `Array is too short (${(data as unknown[]).length}), minimum ${String(params.limit)}`, pointer }
    case 'maxItems':
      return { message: `Array is too long (${(data as unknown[]).length}), maximum ${String(params.limit)}`, pointer }
    case 'uniqueItems': {
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b)
      return { message: `Array items are not unique (indexes ${first} and ${second})`, pointer }
    }
    case 'enum':
      return { message: `No enum match for: ${JSON.stringify(data)}`, pointer }
    case 'format':
      return { message: `Object didn't pass validation for format ${String(params.format)}: ${String(data)}`, pointer }
    case 'pattern':
      return { message: `String does not match pattern ${String(params.pattern)}: ${String(data)}`, pointer }
    default:
      return { message: error.message ?? 'is invalid', pointer }
  }
}

function messageOf(kind: 'Payload' | 'Query', errors: ErrorObject[] | null | undefined): string {
  const first = errors?.[0]
  if (first === undefined) return `${kind} validation error: 'invalid'.`
  const { message, pointer } = describe(first)
  const property = formatPath(pointer)
  return property === '' ? `${kind} validation error: '${message}'.` : `${kind} validation error: '${message}' on property ${property}.`
}

/** A body validator: the body must be exactly what the schema allows (unknown properties are refused). */
export function bodyValidator<T>(schema: object): Validator<T> {
  let validate: ValidateFunction | undefined
  return (data) => {
    validate ??= (bodies ??= createAjv(false)).compile(schema)
    if (!validate(data)) throw invalidBody(messageOf('Payload', validate.errors))
    return data as T
  }
}

/** A query-string validator; values are coerced to the schema's types, and unknown parameters are refused. */
export function queryValidator<T>(schema: object): Validator<T> {
  let validate: ValidateFunction | undefined
  return (data) => {
    validate ??= (queries ??= createAjv(true)).compile(schema)
    // Fastify's query object has no prototype; ajv coerces in place, so work on a copy.
    const copy = { ...(data as object) }
    if (!validate(copy)) throw invalidQuery(messageOf('Query', validate.errors))
    return copy as T
  }
}

// Building blocks shared by the endpoints' schemas.
export const string = { type: 'string' } as const
export const nonEmptyString = { type: 'string', minLength: 1 } as const
export const boolean = { type: 'boolean' } as const
export const metadata = { type: 'object' } as const
export const absoluteUrl = { type: 'string', format: 'absolute-url' } as const
export const urlList = { type: 'array', items: absoluteUrl } as const
export const originList = { type: 'array', items: { type: 'string', format: 'origin' } } as const
export const scopeToken = { type: 'string', format: 'scope-token' } as const

/** page, per_page and include_totals, as every list endpoint takes them (Auth0: per_page at most 100). */
export const pagingProperties = {
  page: { type: 'integer', minimum: 0 },
  per_page: { type: 'integer', minimum: 1, maximum: 100 },
  include_totals: { type: 'boolean' },
} as const

/** `fields` and `include_fields`: which fields of a thing to show, as Auth0's GET endpoints take them. */
export const viewProperties = { fields: string, include_fields: boolean } as const
