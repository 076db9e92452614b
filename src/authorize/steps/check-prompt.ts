import { InvalidRequest } from '../../errors/oauth-errors.js'
import { splitList } from '../params.js'
import type { AuthorizeContext } from '../context.js'

const PROMPTS = ['none', 'login', 'consent']

// prompt and max_age (OIDC Core §3.1.2.1): none must stand alone.
export function checkPrompt(ctx: AuthorizeContext): void {
  const prompts = splitList(ctx.params.prompt)
  const unknown = prompts.find((p) => !PROMPTS.includes(p))
  if (unknown !== undefined) throw new InvalidRequest(`unsupported prompt value: ${unknown}`)
  if (prompts.includes('none') && prompts.length > 1) {
    throw new InvalidRequest('prompt=none must not be combined with other values')
  }
  ctx.prompts = new Set(prompts)
  const maxAge = ctx.params.max_age
  if (maxAge !== undefined) {
    if (!/^\d{1,10}$/.test(maxAge)) throw new InvalidRequest('max_age must be a non-negative integer')
    ctx.maxAge = Number(maxAge)
  }
}
