#!/usr/bin/env node
// Serves the Organizer single-page app: the files in spa/, the same page at / and at /callback
// (where Gatehouse sends the browser back), and config.js, written from settings.mjs so that the
// app knows where Gatehouse and the API are. Nothing else: no other path is readable.
//
//   node examples/organizer/spa-server.mjs      (demo.mjs starts it for you)

import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { AUDIENCE, CLIENT_ID, HOST, readSettings } from './settings.mjs'

const file = (name) => readFileSync(fileURLToPath(new URL(`spa/${name}`, import.meta.url)))

/** What the app reads as window.ORGANIZER: public values only, a SPA cannot keep a secret. */
export function appConfig(settings) {
  return {
    issuer: settings.issuer,
    clientId: CLIENT_ID,
    redirectUri: settings.redirectUri,
    audience: AUDIENCE,
    scope: 'openid profile appointments contacts',
    apiOrigin: settings.apiOrigin,
    logoutReturnTo: settings.spaOrigin,
  }
}

export function createSpaHandler(settings) {
  const html = { type: 'text/html; charset=utf-8', body: file('index.html') }
  const routes = new Map([
    ['/', html],
    ['/callback', html],
    ['/app.js', { type: 'text/javascript; charset=utf-8', body: file('app.js') }],
    ['/style.css', { type: 'text/css; charset=utf-8', body: file('style.css') }],
    ['/config.js', { type: 'text/javascript; charset=utf-8', body: `window.ORGANIZER = ${JSON.stringify(appConfig(settings), null, 2)}\n` }],
  ])
  // The page may load only its own files and talk only to Gatehouse (the JWKS) and the API.
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${new URL(settings.issuer).origin} ${settings.apiOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')

  return (request, response) => {
    const path = new URL(request.url ?? '/', 'http://spa.invalid').pathname
    const found = request.method === 'GET' || request.method === 'HEAD' ? routes.get(path) : undefined
    if (!found) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n')
      return
    }
    response.writeHead(200, {
      'Content-Type': found.type,
      'Cache-Control': 'no-store',
      'Content-Security-Policy': csp,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    response.end(request.method === 'HEAD' ? undefined : found.body)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const settings = readSettings()
  const server = createServer(createSpaHandler(settings))
  server.once('error', (error) => {
    const busy = error.code === 'EADDRINUSE'
    console.error(`organizer spa: ${busy ? `port ${settings.spaPort} is already in use` : error.message}`)
    process.exit(2)
  })
  server.listen(settings.spaPort, HOST, () => console.log(`organizer spa: ${settings.spaOrigin}/`))
  const stop = () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}
