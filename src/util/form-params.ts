import { InvalidRequest } from '../errors/oauth-errors.js'

/** Longest value accepted for one parameter: tokens and URLs fit, runaway input does not. */
export const MAX_LENGTH = 8192

/** One parameter of a query or form body, at most once (RFC 6749 §3.1); an empty value counts as omitted. */
export function readParam(source: unknown, name: string): string | undefined {
  if (source === null || typeof source !== 'object') return undefined
  const value = (source as Record<string, unknown>)[name]
  if (value === undefined || value === '') return undefined
  if (Array.isArray(value)) throw new InvalidRequest(`parameter ${name} must not be repeated`)
  if (typeof value !== 'string') throw new InvalidRequest(`parameter ${name} must be a string`)
  if (value.length > MAX_LENGTH) throw new InvalidRequest(`parameter ${name} is longer than ${MAX_LENGTH} characters`)
  return value
}
