import type { FastifyReply } from 'fastify'
import { CallbackMismatch, InvalidRequest, UnknownClient, type OAuthError } from '../errors/oauth-errors.js'
import type { AppDeps } from './deps.js'
import { sendPage } from './pages.js'

const HINTS: Record<string, string> = {
  invalid_client: 'Check the client_id the application sends against the clients in the Gatehouse config.',
  invalid_request: 'The request cannot be trusted enough to send you back to the application, so the error is shown here.',
}

/** How to fix the error in this tenant: a sentence, and values to pick from when there are some. */
interface Fix {
  hint: string
  list?: { label: string; items: readonly string[] }
}

/** An error that must not be redirected (RFC 6749 §4.1.2.1): shown to the user instead. */
export function sendErrorPage(reply: FastifyReply, deps: AppDeps, error: OAuthError, status = 400, hint?: string) {
  const fix: Fix = hint !== undefined ? { hint } : (fixFor(deps, error) ?? { hint: HINTS[error.error] ?? '' })
  return sendPage(
    reply,
    'error',
    {
      title: 'Error',
      heading: 'Something went wrong',
      issuer: deps.config.issuer,
      error: error.error,
      description: error.message,
      hint: fix.hint,
      list: fix.list && fix.list.items.length > 0 ? fix.list : undefined,
    },
    { status },
  )
}

// Every value here may come from the request: the view escapes it.
function fixFor(deps: AppDeps, error: OAuthError): Fix | undefined {
  const { config } = deps
  const file = config.configFile ?? 'the config file'
  const demoNote = 'The demo tenant is built in: start Gatehouse with --config FILE to use your own clients.'
  if (error instanceof UnknownClient) {
    if (config.demo) {
      return { hint: demoNote, list: { label: 'Clients of the demo tenant:', items: config.tenant.clients.map((c) => c.client_id) } }
    }
    return {
      hint: `Add a client with "client_id": "${error.clientId}" to "clients" in ${file}, or check the client_id the application sends.`,
    }
  }
  if (error instanceof CallbackMismatch) {
    const list = { label: `Registered callbacks of client ${error.clientId}:`, items: error.callbacks }
    const addTo = `the "callbacks" of client ${error.clientId} in ${config.demo ? 'your config file' : file}`
    const start = config.demo ? `${demoNote} ` : ''
    if (error.redirectUri !== undefined) {
      const hint = `${start}Add ${error.redirectUri} to ${addTo} (it must match exactly), or have the application send a registered one.`
      return { hint, list }
    }
    if (error.callbacks.length === 0) return { hint: `${start}Add the application's callback URL to ${addTo}.` }
    return { hint: 'Send redirect_uri with one of the registered callbacks.', list }
  }
  return undefined
}

/** The hint of the "expired" page, with the configured interaction lifetime. */
export function expiredHint(deps: AppDeps): string {
  const seconds = deps.config.ttl.interaction
  const minutes = seconds / 60
  const lifetime = Number.isInteger(minutes) ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${seconds} seconds`
  return `Sign-in requests last ${lifetime} and can be completed once. Go back to the application and start again.`
}

/** The page for a login, consent or resume URL whose interaction is gone. */
export const sendExpiredPage = (reply: FastifyReply, deps: AppDeps) =>
  sendErrorPage(reply, deps, new InvalidRequest('this sign-in request has expired or was already completed'), 400, expiredHint(deps))
