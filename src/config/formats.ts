// The string formats of the config file's schema and the Management API's: absolute URLs written
// exactly, origins, issuer URLs, scope tokens (RFC 6749's, from scopes.ts) and Ajv's email.
import { fullFormats } from 'ajv-formats/dist/formats.js'
import { isScopeToken } from '../scopes/scopes.js'

// A host (and port) written without its scheme. "localhost:3000/callback" would parse as the scheme
// "localhost:", "app.example.com/callback" not at all; custom schemes such as "com.example.app:/cb" still pass.
const HOST_PORT_FIRST = /^[A-Za-z0-9.-]+:\d+(?:[/?#]|$)/
const HOST_FIRST = /^(?:localhost|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|\[[0-9A-Fa-f:.]+\])(?::\d+)?(?:[/?#]|$)/

export function lacksScheme(value: string): boolean {
  return HOST_PORT_FIRST.test(value) || HOST_FIRST.test(value)
}

/** What the value was probably meant to be: http for this machine, https elsewhere. */
export function withScheme(value: string): string {
  const local = /^(?:localhost|127\.0\.0\.1|\[::1\])(?:[:/?#]|$)/.test(value)
  return `${local ? 'http' : 'https'}://${value}`
}

/** Absolute URL, written exactly (the URL parser would silently trim or encode whitespace, or add a missing "//"). */
export function isAbsoluteUrl(value: string): boolean {
  if (/\s/.test(value) || lacksScheme(value) || !URL.canParse(value)) return false
  const { protocol } = new URL(value)
  return (protocol !== 'http:' && protocol !== 'https:') || /^https?:\/\//i.test(value)
}

/** scheme://host[:port] and nothing more */
export function isOrigin(value: string): boolean {
  if (!isAbsoluteUrl(value) || value.endsWith('/')) return false
  const url = new URL(value)
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.pathname === '/' &&
    !value.includes('?') &&
    !value.includes('#') &&
    url.username === '' &&
    url.password === ''
  )
}

/** http(s) URL usable as an issuer: OIDC Discovery forbids query and fragment. */
export function isHttpUrl(value: string): boolean {
  if (!isAbsoluteUrl(value)) return false
  const url = new URL(value)
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !value.includes('?') &&
    !value.includes('#') &&
    url.username === '' &&
    url.password === ''
  )
}


/** Every format the config file's schema names, by name. */
export const configFormats = {
  email: fullFormats.email,
  'absolute-url': isAbsoluteUrl,
  origin: isOrigin,
  'http-url': isHttpUrl,
  'scope-token': isScopeToken
}
