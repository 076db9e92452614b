/** A valid logout request: end the session, then redirect, or show the signed-out page when there is nowhere to go. */
export interface LogoutOutcome {
  redirect?: string
  /** for the signed-out page and the logs */
  clientName?: string
}
