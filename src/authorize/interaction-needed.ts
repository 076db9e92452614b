import type { Prompt } from '../interaction/models.js'

/** Thrown by a step when the user must act on a page before the request can go on. */
export class InteractionNeeded extends Error {
  readonly prompt: Prompt
  constructor(prompt: Prompt, reason: string) {
    super(reason)
    this.name = 'InteractionNeeded'
    this.prompt = prompt
  }
}
