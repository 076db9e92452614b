// The demo API served by Gatehouse at <issuer>demo-api/appointments: the appointments API of Auth0's
// implicit-grant tutorial, checking tokens the way Auth0 tells API authors to.

/** The API identifier (the `audience` to ask for) its tokens must name in `aud`. */
export const DEMO_API_AUDIENCE = 'appointments:api'

/** The scope a token needs to read appointments. */
export const DEMO_API_SCOPE = 'read:appointments'

/** Its path under the issuer. */
export const DEMO_API_PATH = 'demo-api/appointments'
