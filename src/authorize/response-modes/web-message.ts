import type { ResponseMode } from './types.js'

// Auth0's silent-auth mode: a page in the app's hidden iframe posts the response to the app's origin.
export const webMessageMode: ResponseMode = (redirectUri, params) => {
  const origin = new URL(redirectUri).origin
  return {
    type: 'page',
    view: 'web-message',
    data: { origin, message: { type: 'authorization_response', response: params } },
    frameAncestors: origin,
  }
}
