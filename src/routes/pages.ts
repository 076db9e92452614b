import { randomBytes } from 'node:crypto'
import type { FastifyReply } from 'fastify'

/** 303 to a page of the flow; never cached, as every step of it depends on the browser's state. */
export const seeOther = (reply: FastifyReply, location: string) => reply.header('Cache-Control', 'no-store').redirect(location, 303)

export interface PageOptions {
  status?: number
  /** origin allowed to frame the page (web_message); otherwise no one may */
  frameAncestors?: string
  /** more CSP directives, for a page whose script fetches or frames (the playground) */
  extraDirectives?: string
}

/** Renders a page with the headers every Gatehouse page carries: no caching, no framing, no referrer, scripts by nonce. */
export function sendPage(reply: FastifyReply, view: string, data: Record<string, unknown>, options: PageOptions = {}) {
  const nonce = randomBytes(16).toString('base64')
  const ancestors = options.frameAncestors ?? "'none'"
  reply
    .code(options.status ?? 200)
    .header('Cache-Control', 'no-store')
    .header('Pragma', 'no-cache')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Content-Type-Options', 'nosniff')
    .header(
      'Content-Security-Policy',
      `default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'nonce-${nonce}'; ` +
        `${options.extraDirectives === undefined ? '' : `${options.extraDirectives}; `}base-uri 'none'; frame-ancestors ${ancestors}`,
    )
  // the older header for browsers without frame-ancestors, where it can say the same
  if (ancestors === "'none'") reply.header('X-Frame-Options', 'DENY')
  else if (ancestors === "'self'") reply.header('X-Frame-Options', 'SAMEORIGIN')
  return reply.viewAsync(`${view}.eta`, { ...data, nonce })
}
