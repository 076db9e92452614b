import type { ResponseMode } from './types.js'

// Parameters are added to any query the registered redirect_uri already has (RFC 6749 §4.1.2).
export const queryMode: ResponseMode = (redirectUri, params) => {
  const url = new URL(redirectUri)
  for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value)
  return { type: 'redirect', location: url.href }
}
