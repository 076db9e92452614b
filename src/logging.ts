// Logs: one line per request that carries the decisions taken while handling it, as JSON or as
// short pretty lines; tokens, codes, passwords and cookies never appear.
import type { FastifyBaseLogger, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import { format } from 'node:util'
import type { Config, LogFormat } from './config/types.js'

// Never log secrets: these query parameters carry tokens or codes.
const SECRET_QUERY = /([?&](?:code|access_token|id_token|id_token_hint|refresh_token|client_secret|password|session_token)=)[^&#]*/g

export const redactUrl = (url: string): string => url.replace(SECRET_QUERY, '$1[redacted]')

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.client_secret',
  '*.access_token',
  '*.id_token',
  '*.refresh_token',
  '*.code',
  '*.session_token',
]

/** Where log lines go; a terminal's stdout fits as is (isTTY and hasColors pick the default format). */
export interface LogSink {
  write(line: string): void
  isTTY?: boolean
  hasColors?: () => boolean
}

export interface Logging {
  /** Fastify's `logger` option (pino options) */
  logger: FastifyServerOptions['logger']
  /** Fastify's `childLoggerFactory`: each request's logger collects the decisions logged through it */
  childLoggerFactory: NonNullable<FastifyServerOptions['childLoggerFactory']>
  /** onResponse hook: the request line, with those decisions */
  logRequest(request: FastifyRequest, reply: FastifyReply): Promise<void>
}

interface Decision {
  level: number
  text: string
}

const INFO = 30
const WARN = 40
const METHOD_OF_LEVEL: Record<number, 'info' | 'warn' | 'error' | 'fatal'> = { 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

/** pretty on a terminal, JSON otherwise, unless the config names one */
export function resolveLogFormat(config: Pick<Config, 'logFormat'>, sink: LogSink): LogFormat {
  return config.logFormat ?? (sink.isTTY === true ? 'pretty' : 'json')
}

export function createLogging(config: Config, stream?: LogSink): Logging {
  const sink = stream ?? process.stdout
  const pretty = resolveLogFormat(config, sink) === 'pretty'
  const colors = pretty && sink.hasColors?.() === true
  // Keyed by each request's child logger, so nothing outlives a request that never completes.
  const decisions = new WeakMap<object, Decision[]>()

  return {
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: {
        req: (req) => ({ method: req.method, url: redactUrl(req.url) }),
      },
      hooks: {
        logMethod(args, method, level) {
          const collected = decisions.get(this)
          const text = collected && level >= INFO ? messageOf(args) : undefined
          if (collected && text !== undefined) {
            collected.push({ level, text })
            // Pretty output shows them on the request line only; errors keep their own line for the stack.
            if (pretty && level <= WARN) return
          }
          method.apply(this, args)
        },
      },
      stream: pretty ? { write: (line: string) => sink.write(formatPretty(line, colors)) } : sink,
    },
    childLoggerFactory(logger, bindings, opts) {
      const child = logger.child(bindings, opts)
      if (child !== logger) decisions.set(child, [])
      return child
    },
    async logRequest(request, reply) {
      const taken = decisions.get(request.log) ?? []
      decisions.delete(request.log) // so that this line is not collected itself
      // A warning while handling the request makes the request line a warning too.
      const level = taken.reduce((max, d) => Math.max(max, d.level), INFO)
      const log: FastifyBaseLogger = request.log
      log[METHOD_OF_LEVEL[level] ?? 'info'](
        {
          method: request.method,
          url: redactUrl(request.url),
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
          ...(taken.length > 0 ? { decisions: taken.map((d) => d.text) } : {}),
        },
        'request completed',
      )
    },
  }
}

/** The message of a log call, (obj, msg, ...args) or (msg, ...args); undefined for an object alone. */
function messageOf(args: readonly unknown[]): string | undefined {
  const at = typeof args[0] === 'string' ? 0 : typeof args[1] === 'string' ? 1 : -1
  if (at === -1) return undefined
  const [msg, ...rest] = args.slice(at) as [string, ...unknown[]]
  return rest.length > 0 ? format(msg, ...rest) : msg
}

const LABELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
// ANSI foreground colours: grey, grey, green, yellow, red, magenta
const COLORS: Record<number, number> = { 10: 90, 20: 90, 30: 32, 40: 33, 50: 31, 60: 35 }

interface Entry {
  level?: number
  time?: number
  msg?: string
  method?: string
  url?: string
  status?: number
  ms?: number
  decisions?: string[]
  err?: { stack?: string; message?: string }
}

/**
 * One pino JSON line as one short line: `14:02:11 INFO  GET /authorize 303 3ms  authorize: …`.
 * The query is left out (the JSON format keeps it, redacted); anything that is not JSON passes through.
 */
export function formatPretty(line: string, colors = false): string {
  let entry: Entry
  try {
    entry = JSON.parse(line) as Entry
  } catch {
    return line
  }
  if (typeof entry !== 'object' || entry === null) return line
  const level = entry.level ?? INFO
  const label = (LABELS[level] ?? String(level)).padEnd(5)
  const time = typeof entry.time === 'number' ? `${new Date(entry.time).toTimeString().slice(0, 8)} ` : ''
  let text = entry.msg ?? ''
  if (entry.msg === 'request completed' && entry.method !== undefined && entry.url !== undefined) {
    const path = entry.url.split('?')[0]
    text = `${entry.method} ${path} ${entry.status} ${entry.ms}ms`
    // "/oauth/token: invalid_grant: …" already names the path the line starts with
    const decisions = entry.decisions?.map((d) => (d.startsWith(`${path}: `) ? d.slice(path.length + 2) : d))
    if (decisions?.length) text += `  ${decisions.join(' | ')}`
  }
  const stack = entry.err?.stack ?? entry.err?.message
  if (stack !== undefined) text += `\n${stack.replace(/^/gm, '    ')}`
  return `${time}${colors ? `\x1b[${COLORS[level] ?? 0}m${label}\x1b[0m` : label} ${text}\n`
}
