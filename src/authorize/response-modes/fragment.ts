import type { ResponseMode } from './types.js'

// Tokens in the fragment never reach a server's logs (RFC 6749 §4.2.2).
export const fragmentMode: ResponseMode = (redirectUri, params) => ({
  type: 'redirect',
  location: `${redirectUri}#${new URLSearchParams(params).toString()}`,
})
