import { ConsentRequired, LoginRequired } from '../errors/oauth-errors.js'
import type { Prompt } from '../interaction/models.js'
import type { AuthorizeContext } from './context.js'

/** Thrown by a step when the user must act on a page before the request can go on. */
export class InteractionNeeded extends Error {
  readonly prompt: Prompt
  constructor(prompt: Prompt, reason: string) {
    super(reason)
    this.name = 'InteractionNeeded'
    this.prompt = prompt
  }
}

const REFUSALS = { login: LoginRequired, consent: ConsentRequired }

/** Sends the user to the page, or, with prompt=none, answers login_required / consent_required (OIDC Core §3.1.2.6). */
export function requireInteraction(ctx: AuthorizeContext, prompt: Prompt, reason: string): never {
  if (ctx.prompts.has('none')) throw new REFUSALS[prompt](`${reason}, and prompt=none does not allow the ${prompt} page`)
  throw new InteractionNeeded(prompt, `${prompt} required: ${reason}`)
}
