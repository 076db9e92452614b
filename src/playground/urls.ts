// Where the teaching pages live under an issuer; also what the CLI banner links to.

/** The playground's client, registered in every tenant unless the config says `"playground": false`. */
export const PLAYGROUND_CLIENT_ID = 'gatehouse-playground'

export interface PlaygroundUrls {
  /** the landing page: the issuer itself */
  landing: string
  /** the flow picker */
  playground: string
  /** the playground client's redirect_uri and post-logout URL: the callback view */
  callback: string
  /** opens the playground and starts the implicit `id_token token` flow at once: it ends on the callback view */
  quickStart: string
}

/** The teaching pages' URLs under `issuer` (which ends with "/"). */
export function playgroundUrls(issuer: string): PlaygroundUrls {
  const playground = `${issuer}playground`
  return {
    landing: issuer,
    playground,
    callback: `${playground}/callback`,
    quickStart: `${playground}?flow=implicit-id-token-token&run=1`,
  }
}

/** Whether the playground is on: it is, unless the config file says `"playground": false`. */
export const playgroundEnabled = (config: { playground?: boolean }): boolean => config.playground !== false

/** What the start banner shows: the landing page always; the playground and its one-click sign-in when it is on. */
export function bannerLinks(config: { issuer: string; playground?: boolean }): { landing: string; playground?: string; signIn?: string } {
  if (!playgroundEnabled(config)) return { landing: config.issuer }
  const urls = playgroundUrls(config.issuer)
  return { landing: urls.landing, playground: urls.playground, signIn: urls.quickStart }
}
