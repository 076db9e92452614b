// The callback view: reads the answer from wherever it came — the fragment, the query, or a form_post body —
// the way the Auth0 tutorial's getParameterByName reads the hash, then checks and shows it.
import type { PageData } from '../page-data.js'
import { h } from './dom.js'
import { showAuthorizationResponse, type AuthorizationResponse } from './result.js'

export function readResponse(data: PageData): AuthorizationResponse {
  if (data.formPost !== undefined) return { source: 'form_post', params: data.formPost }
  const fromFragment = location.hash.slice(1)
  if (fromFragment !== '') return { source: 'fragment', params: Object.fromEntries(new URLSearchParams(fromFragment)) }
  return { source: 'query', params: Object.fromEntries(new URLSearchParams(location.search)) }
}

export async function startCallback(root: HTMLElement, data: PageData): Promise<void> {
  // In the playground's hidden iframe (silent authentication), the playground reads this page's address itself.
  if (window.parent !== window) return
  const response = readResponse(data)
  // Take the answer out of the address bar, so it is not bookmarked, shared or kept in history (what SDKs do).
  history.replaceState(null, '', location.pathname)
  try {
    await showAuthorizationResponse(root, data, response)
  } catch (err) {
    root.append(h('p', { class: 'error', role: 'alert' }, `Something failed while checking the answer: ${(err as Error).message}`))
  }
}
