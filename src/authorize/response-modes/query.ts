import { withQuery } from '../../util/url.js'
import type { ResponseMode } from './types.js'

// Parameters are added to any query the registered redirect_uri already has (RFC 6749 §4.1.2).
export const queryMode: ResponseMode = (redirectUri, params) => ({ type: 'redirect', location: withQuery(redirectUri, params) })
