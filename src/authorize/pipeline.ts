import type { AuthorizeContext } from './context.js'
import { applyScenario } from './steps/apply-scenario.js'
import { checkAudienceAndScope } from './steps/check-audience-and-scope.js'
import { checkClient } from './steps/check-client.js'
import { checkConsent } from './steps/check-consent.js'
import { checkIdTokenHint } from './steps/check-id-token-hint.js'
import { checkNonce } from './steps/check-nonce.js'
import { checkParameters } from './steps/check-parameters.js'
import { checkPkce } from './steps/check-pkce.js'
import { checkPrompt } from './steps/check-prompt.js'
import { checkRedirectUri } from './steps/check-redirect-uri.js'
import { checkResponseMode } from './steps/check-response-mode.js'
import { checkResponseType } from './steps/check-response-type.js'
import { checkSession } from './steps/check-session.js'

export type Step = (ctx: AuthorizeContext) => void | Promise<void>

/** The /authorize checks, in the order the specs imply. Errors before checkParameters render a page. */
export const authorizeSteps: readonly Step[] = [
  checkClient,
  checkRedirectUri,
  checkParameters,
  checkResponseType,
  checkResponseMode,
  checkAudienceAndScope,
  checkNonce,
  checkPkce,
  checkPrompt,
  checkIdTokenHint,
  // test controls only (a no-op without them)
  applyScenario,
  checkSession,
  checkConsent,
]

export async function runSteps(ctx: AuthorizeContext, steps: readonly Step[] = authorizeSteps): Promise<void> {
  for (const step of steps) await step(ctx)
}
