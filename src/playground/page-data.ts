// What the playground pages hand to their browser code (as JSON in a data attribute); shared by both sides.

export interface PageScope {
  value: string
  description: string
}

export interface PageApi {
  identifier: string
  name: string
  scopes: PageScope[]
  allow_offline_access: boolean
}

export interface PageData {
  issuer: string
  clientId: string
  /** redirect_uri and post-logout URL */
  callback: string
  endpoints: {
    authorize: string
    /** the real token endpoint, shown in requests */
    token: string
    userinfo: string
    jwks: string
    oidcLogout: string
    auth0Logout: string
    /** the playground's backend, which adds the client secret and sends the token request */
    backendToken: string
    /** the playground's backend, which makes expired or wrong-audience copies of a token */
    backendVariant: string
    /** the playground's backend: what Gatehouse decided for one flow (GET ?state=…&since=…) */
    backendTimeline: string
    demoApi: string
  }
  oidcScopes: PageScope[]
  apis: PageApi[]
  demoApi: { audience: string; scope: string }
  /** demo tenant only: users to sign in with */
  demoUsers: { username: string; password: string }[]
  /** callback view only: the parameters of a form_post response */
  formPost?: Record<string, string>
}
