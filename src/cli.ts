#!/usr/bin/env node
// The process: configuration in, a listening server out, one clear line and an exit code when something fails.

import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { buildBanner, type BannerPages } from './cli/banner.js'
import { limitHeapGrowth } from './cli/heap.js'
import { createOutput } from './cli/output.js'
import { closeOnSignals, type Exit } from './cli/shutdown.js'
import { ConfigError, HelpRequested, defaultIssuer, loadConfig } from './config/load.js'
import type { Config } from './config/types.js'
import { KeystoreError } from './keys/keystore.js'
import { buildServer } from './server.js'
import { StoreError } from './store/errors.js'
import { TlsError } from './tls/tls-error.js'
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
  const tls = config.tls !== undefined
  if (config.port !== 0 || config.issuer !== defaultIssuer(0, tls)) return config
  const port = await findFreePort(config.host)
  return Object.freeze({ ...config, port, issuer: defaultIssuer(port, tls) })
}

/** Which of the pages a banner may point to this build serves, under the issuer's path. */
function servedPages(app: FastifyInstance, issuer: string): BannerPages {
  const base = new URL(issuer).pathname
  const served = (path: string) => app.hasRoute({ method: 'GET', url: `${base}${path}` })
  const pages: BannerPages = {}
  if (served('')) pages.home = issuer
  if (served('playground')) pages.playground = `${issuer}playground`
  return pages
}

const exit: Exit = (code, message) => (message === undefined ? process.exit(code) : fail(code, message))

async function main(): Promise<void> {
  limitHeapGrowth(process.execArgv)
  const stdout = createOutput(process.stdout)
  const config = await settlePort(loadConfig(process.env, process.argv.slice(2)))
  const app = await buildServer(config, { logStream: stdout })
  closeOnSignals(app, exit)

  let lines = 0
  try {
    await app.listen({
      port: config.port,
      host: config.host,
      // Fastify logs one line per bound address. The issuer comes first: it is the address clients
      // must use (tokens name it), which need not be the one bound.
      listenTextResolver: (address) => {
        lines++
        if (lines > 1) return `also reachable at ${address}`
        const { port } = app.server.address() as AddressInfo
        return `Gatehouse ready at ${config.issuer} (bound to ${urlHost(config.host)}:${port})`
      }
    })
  } catch (error) {
    await app.close().catch(() => {})
    throw describeListenError(error, config.host, config.port)
  }
  stdout.write(buildBanner(config, servedPages(app, config.issuer), randomId))
}

main().catch((error: unknown) => {
  if (error instanceof HelpRequested) {
    process.stdout.write(error.usage)
    process.exit(0)
  }
  if (
    error instanceof ConfigError ||
    error instanceof ListenError ||
    error instanceof KeystoreError ||
    error instanceof StoreError ||
    error instanceof TlsError
  ) {
    fail(2, error.message)
  }
  const message = error instanceof Error ? error.message : String(error)
  fail(1, `unexpected error: ${message.split('\n')[0]}`)
})
