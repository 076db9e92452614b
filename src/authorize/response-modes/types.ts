/** How an authorization response reaches the client: a redirect, or a page that delivers it. */
export type AuthorizeReply =
  | { type: 'redirect'; location: string }
  | { type: 'page'; view: 'form-post' | 'web-message'; data: Record<string, unknown>; frameAncestors?: string }

export type ResponseMode = (redirectUri: string, params: Record<string, string>) => AuthorizeReply
