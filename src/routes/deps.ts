import type { AuthorizeDeps } from '../authorize/context.js'
import type { Keystore } from '../keys/keystore.js'

/** What route plugins are given: the wired services of one server. */
export interface AppDeps extends AuthorizeDeps {
  keystore: Keystore
}

export interface RouteOptions {
  deps: AppDeps
}

export const SESSION_COOKIE = 'gatehouse_session'

/** A path under the issuer's, so that an issuer such as http://host/tenant/ serves and links under /tenant/. */
export const pathOf = (deps: AppDeps, path: string): string => new URL(path, deps.config.issuer).pathname
