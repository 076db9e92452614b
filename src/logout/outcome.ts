/** A valid logout request: end the session, then redirect, or show the signed-out page when there is nowhere to go. */
export interface LogoutOutcome {
  redirect?: string
  /** for the signed-out page and the logs */
  clientName?: string
  /** the client the request named, or the id_token_hint's audience: for the event log */
  clientId?: string
}
