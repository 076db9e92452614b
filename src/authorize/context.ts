import type { Client, Config, ResourceServer, User } from '../config/types.js'
import type { Interaction, Session } from '../interaction/models.js'
import type { Keystore } from '../keys/keystore.js'
import type { Store } from '../store/store.js'
import type { Minter } from '../tokens/mint.js'
import type { RequestFacts, TokenStage } from '../tokens/plan.js'
import type { Clock } from '../util/clock.js'
import type { IdGenerator } from '../util/ids.js'
import type { AuthorizeParams, ParsedParams } from './params.js'

export type ResponseTypeValue = 'code' | 'token' | 'id_token'
export type ResponseModeName = 'query' | 'fragment' | 'form_post' | 'web_message'

export interface AuthorizeDeps {
  config: Config
  store: Store
  clock: Clock
  newId: IdGenerator
  minter: Minter
  keystore: Keystore
  /** the token plan's stages, in order (RBAC, Actions, scenarios); none by default */
  tokenStages?: readonly TokenStage[]
}

/** Everything the steps share; each step reads what earlier ones resolved and adds its own part. */
export interface AuthorizeContext {
  readonly deps: AuthorizeDeps
  readonly params: AuthorizeParams
  readonly problems: ParsedParams['problems']
  /** from the session cookie, if any */
  readonly sessionId?: string
  /** set when resuming after the login or consent page */
  interaction?: Interaction
  /** the HTTP request, for the token plan's stages */
  readonly request?: RequestFacts
  client?: Client
  redirectUri?: string
  responseTypes: Set<ResponseTypeValue>
  responseMode?: ResponseModeName
  /** the API named by audience */
  api?: ResourceServer
  /** requested scopes that will be granted if the user agrees */
  scopes: string[]
  prompts: Set<string>
  maxAge?: number
  /** the sub of a valid id_token_hint */
  idTokenHintSub?: string
  session?: Session
  user?: User
}

export function createContext(
  deps: AuthorizeDeps,
  parsed: ParsedParams,
  sessionId?: string,
  interaction?: Interaction,
  request?: RequestFacts,
): AuthorizeContext {
  return {
    deps,
    params: parsed.params,
    problems: parsed.problems,
    sessionId,
    interaction,
    request,
    responseTypes: new Set(),
    scopes: [],
    prompts: new Set(),
  }
}
