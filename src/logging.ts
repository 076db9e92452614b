import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config/types.js'

// Never log secrets: these query parameters carry tokens or codes.
const SECRET_QUERY = /([?&](?:code|access_token|id_token|id_token_hint|refresh_token|client_secret|password)=)[^&#]*/g

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
]

/** pino options: pretty in a terminal, JSON otherwise; tokens, passwords and cookies redacted. */
export function loggerOptions(config: Config, stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  const pretty = stream === undefined && (config.logPretty ?? process.stdout.isTTY === true)
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req) => ({ method: req.method, url: redactUrl(req.url) }),
    },
    ...(stream ? { stream } : {}),
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,reqId' } } }
      : {}),
  }
}
