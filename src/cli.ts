#!/usr/bin/env node
// The process: configuration in, a listening server out, one clear line and an exit code when something fails.

import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { DEMO_AUDIENCE, DEMO_CALLBACK, DEMO_CLIENT_ID } from './config/demo-tenant.js'
import { ConfigError, HelpRequested, defaultIssuer, loadConfig } from './config/load.js'
import type { Config } from './config/types.js'
import { buildServer } from './server.js'
import { randomId } from './util/ids.js'

/** Binding failed for a reason the user can fix; exits 2 like a config mistake. */
class ListenError extends Error {
  override name = 'ListenError'
}

function fail(exitCode: number, message: string): never {
  process.stderr.write(`gatehouse: ${message}\n`)
  process.exit(exitCode)
}

const urlHost = (host: string) => (host.includes(':') ? `[${host}]` : host)

function describeListenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code
  switch (code) {
    case 'EADDRINUSE':
      return new ListenError(`port ${port} is already in use on ${host} (EADDRINUSE)`)
    case 'EACCES':
      return new ListenError(`not allowed to listen on ${host} port ${port}; ports below 1024 need privileges (EACCES)`)
    case 'EADDRNOTAVAIL':
      return new ListenError(`${host} is not an address of this machine (EADDRNOTAVAIL)`)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ListenError(`cannot resolve host ${host} (${code})`)
    default:
      return error instanceof Error ? error : new Error(String(error))
  }
}

async function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', (error) => reject(describeListenError(error, host, 0)))
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

/**
 * With --port 0 and no explicit issuer, the default issuer would name port 0; choose the port
 * first so that tokens and discovery name the port actually served.
 */
async function settlePort(config: Config): Promise<Config> {
  if (config.port !== 0 || config.issuer !== defaultIssuer(0)) return config
  const port = await findFreePort(config.host)
  return Object.freeze({ ...config, port, issuer: defaultIssuer(port) })
}

function demoBanner(config: Config): string {
  const query = new URLSearchParams({
    client_id: DEMO_CLIENT_ID,
    redirect_uri: DEMO_CALLBACK,
    response_type: 'token id_token',
    scope: 'openid profile email read:items',
    audience: DEMO_AUDIENCE,
    nonce: randomId(16),
    state: randomId(16)
  })
  // URLSearchParams writes spaces as "+"; %20 survives being pasted anywhere
  const authorize = `${config.issuer}authorize?${query.toString().replaceAll('+', '%20')}`
  const users = config.tenant.users.map((u, i) => `  ${i === 0 ? 'Users     ' : '          '} ${u.username ?? u.email} / ${u.password}`)
  return [
    '',
    '  Gatehouse is serving the built-in demo tenant (use --config FILE for your own).',
    '',
    `  Issuer     ${config.issuer}`,
    `  Discovery  ${config.issuer}.well-known/openid-configuration`,
    '',
    ...users,
    '',
    `  Sign in to the demo SPA; the tokens come back to ${DEMO_CALLBACK}:`,
    `  ${authorize}`,
    '',
    ''
  ].join('\n')
}

async function flushLog(app: FastifyInstance): Promise<void> {
  const { flush } = app.log as { flush?: (done?: (error?: Error) => void) => void }
  if (typeof flush !== 'function') return
  await new Promise<void>((resolve) => flush.call(app.log, () => resolve()))
}

async function main(): Promise<void> {
  const config = await settlePort(loadConfig(process.env, process.argv.slice(2)))
  const app = await buildServer(config)

  let lines = 0
  try {
    await app.listen({
      port: config.port,
      host: config.host,
      // Fastify logs one line per bound address; the first names what was asked for, with the real port
      listenTextResolver: (address) => {
        lines++
        if (lines > 1) return `also reachable at ${address}`
        const { port } = app.server.address() as AddressInfo
        return `listening on http://${urlHost(config.host)}:${port}`
      }
    })
  } catch (error) {
    await app.close().catch(() => {})
    throw describeListenError(error, config.host, config.port)
  }

  let closing = false
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) {
      // a second signal means "now"
      fail(1, `${signal} again, exiting without waiting`)
    }
    closing = true
    app.log.info(`${signal} received, closing`)
    app.close().then(
      () => process.exit(0),
      (error: unknown) => fail(1, `error while closing: ${(error as Error).message}`)
    )
  }
  process.on('SIGTERM', shutdown)
  process.on('SIGINT', shutdown)

  if (config.demo) {
    // the "listening on" line may still sit in the logger's buffer; the banner reads better after it
    await flushLog(app)
    process.stdout.write(demoBanner(config))
  }
}

main().catch((error: unknown) => {
  if (error instanceof HelpRequested) {
    process.stdout.write(error.usage)
    process.exit(0)
  }
  if (error instanceof ConfigError || error instanceof ListenError) fail(2, error.message)
  const message = error instanceof Error ? error.message : String(error)
  fail(1, `unexpected error: ${message.split('\n')[0]}`)
})
