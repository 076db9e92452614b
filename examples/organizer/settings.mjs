// Where each part of the Organizer example listens and how the parts find each other.
// demo.mjs, spa-server.mjs and api-server.mjs all read these, so one set of environment variables
// moves all three (the tests use that to run on free ports).

/** Every process binds here; the URLs below say "localhost", which is what the browser shows. */
export const HOST = '127.0.0.1'

/** The client registered in gatehouse.json. */
export const CLIENT_ID = 'organizer'

/** The API identifier: the `audience` the SPA asks for and the `aud` the API insists on. */
export const AUDIENCE = 'appointments:api'

function port(env, name, fallback) {
  const value = env[name]
  if (value === undefined || value === '') return fallback
  const number = /^\d{1,5}$/.test(value) ? Number(value) : NaN
  if (!(number >= 1 && number <= 65535)) throw new Error(`${name}: must be a port number between 1 and 65535, got ${JSON.stringify(value)}`)
  return number
}

export function readSettings(env = process.env) {
  const gatehousePort = port(env, 'GATEHOUSE_PORT', 4000)
  const spaPort = port(env, 'ORGANIZER_PORT', 3000)
  const apiPort = port(env, 'ORGANIZER_API_PORT', 7001)
  const spaOrigin = `http://localhost:${spaPort}`
  const apiOrigin = `http://localhost:${apiPort}`
  return {
    gatehousePort,
    spaPort,
    apiPort,
    /** Gatehouse's issuer; it ends with "/" as Auth0's do, and tokens carry it in `iss` */
    issuer: `http://localhost:${gatehousePort}/`,
    spaOrigin,
    /** where Gatehouse sends the browser back with the tokens (registered as a callback) */
    redirectUri: `${spaOrigin}/callback`,
    apiOrigin,
    apiUrl: `${apiOrigin}/api/appointments`,
  }
}
