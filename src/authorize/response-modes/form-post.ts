import type { ResponseMode } from './types.js'

// OAuth 2.0 Form Post Response Mode: a page that POSTs the parameters to the redirect_uri.
export const formPostMode: ResponseMode = (redirectUri, params) => ({
  type: 'page',
  view: 'form-post',
  data: { action: redirectUri, fields: Object.entries(params) },
})
