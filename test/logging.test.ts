// Logs explain each decision and never carry a secret: passwords, codes, tokens, cookies, client secrets.
import Fastify, { LogController } from 'fastify'
import t from 'tap'
import type { Test } from 'tap'
import type { LogFormat } from '../src/config/types.js'
import { createLogging, formatPretty, redactUrl, resolveLogFormat } from '../src/logging.js'
import { buildServer } from '../src/server.js'
import { fakeClock, queryOf, signIn } from './helpers/server.js'
import { CALLBACK, testConfig } from './helpers/tenant.js'
import { BACKEND_BASIC, CHALLENGE, codeGrant, getUserinfo, postToken, VERIFIER } from './helpers/tokens.js'

const AUTHORIZE = {
  client_id: 'organizer',
  redirect_uri: CALLBACK,
  response_type: 'code',
  scope: 'openid offline_access read:appointments',
  audience: 'appointments:api',
  state: 'st',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
}

async function loggingServer(t: Test, logFormat: LogFormat) {
  const lines: string[] = []
  const app = await buildServer(testConfig({ logLevel: 'info', logFormat }), {
    clock: fakeClock(),
    logStream: { write: (line) => void lines.push(line) },
  })
  t.teardown(() => app.close())
  return { app, lines }
}

/** local HH:MM:SS of an epoch-ms time, as the pretty format writes it */
const clockTime = (ms: number) => new Date(ms).toTimeString().slice(0, 8)

for (const format of ['json', 'pretty'] as const) {
  t.test(`${format}: decisions are logged with their reasons, secrets are not`, async (t) => {
    const { app, lines } = await loggingServer(t, format)
    const { res, cookie } = await signIn(app, AUTHORIZE)
    const { code } = queryOf(res.headers.location!)
    const tokens = (await postToken(app, codeGrant(code!), { json: true })).json()
    await getUserinfo(app, tokens.access_token)
    await app.inject({ url: `/oidc/logout?id_token_hint=${tokens.id_token}&client_id=organizer`, headers: { cookie } })
    await postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC, json: true })

    const log = lines.join('')
    t.match(log, 'authorize: login required: no session')
    t.match(log, 'authorize: consent required: openid offline_access read:appointments not yet granted')
    t.match(log, 'authorize: issued code to organizer for auth0|alice')
    t.match(log, 'token: issued authorization_code tokens to organizer')

    const secrets = {
      password: 'wonderland',
      code: code!,
      access_token: tokens.access_token,
      id_token: tokens.id_token,
      refresh_token: tokens.refresh_token,
      session_cookie: cookie.split('=')[1]!,
      client_secret: 'backend-secret',
      code_verifier: VERIFIER,
    }
    for (const [name, value] of Object.entries(secrets)) {
      t.type(value, 'string', `${name} was issued`)
      t.notOk(log.includes(value), `the log does not contain the ${name}`)
    }
  })
}

t.test('json: one object per event, and the request line carries the decisions', async (t) => {
  const { app, lines } = await loggingServer(t, 'json')
  await app.inject({ url: `/authorize?${new URLSearchParams(AUTHORIZE)}` })

  const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  t.equal(lines.length, events.length, 'every line is one JSON object')
  const decision = events.filter((e) => e.msg === 'authorize: login required: no session')
  t.equal(decision.length, 1, 'the decision is its own event')
  const completed = events.filter((e) => e.msg === 'request completed')
  t.equal(completed.length, 1)
  t.match(completed[0], {
    level: 30,
    method: 'GET',
    url: `/authorize?${new URLSearchParams(AUTHORIZE)}`,
    status: 303,
    decisions: ['authorize: login required: no session'],
  })
  t.equal(completed[0]!.reqId, decision[0]!.reqId, 'both belong to the same request')

  lines.length = 0
  await app.inject({ url: '/healthz' })
  const [health] = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  t.notOk('decisions' in health!, 'no decisions key when nothing was decided')
})

t.test('pretty: one line per request, the decision inline', async (t) => {
  const { app, lines } = await loggingServer(t, 'pretty')
  lines.length = 0 // the start-up lines
  await app.inject({ url: `/authorize?${new URLSearchParams(AUTHORIZE)}` })
  await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'authorization_code' } })

  t.equal(lines.length, 2, 'nothing but the two request lines')
  t.match(lines[0], /^\d\d:\d\d:\d\d INFO  GET \/authorize 303 \d+ms {2}authorize: login required: no session\n$/)
  t.match(lines[1], /^\d\d:\d\d:\d\d INFO  POST \/oauth\/token 401 \d+ms {2}invalid_client: /, 'the path is not repeated')
})

t.test('a warning makes its request line a warning; errors keep their own line', async (t) => {
  const lines: string[] = []
  const logging = createLogging(testConfig({ logLevel: 'info', logFormat: 'json' }), { write: (line) => void lines.push(line) })
  const app = Fastify({ logger: logging.logger, childLoggerFactory: logging.childLoggerFactory, logController: new LogController({ disableRequestLogging: true }) })
  app.addHook('onResponse', logging.logRequest)
  app.get('/warn', async (request) => {
    request.log.info({ client_id: 'a' }, 'first: %s', 'formatted')
    request.log.warn('second: looks wrong')
    request.log.info({ only: 'an object' })
    return 'ok'
  })
  app.get('/fail', async (request) => {
    request.log.error({ err: new Error('boom') }, 'unexpected error')
    return 'ok'
  })
  t.teardown(() => app.close())

  await app.inject({ url: '/warn' })
  const warn = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  t.equal(warn.length, 4, 'three events, then the request line')
  t.match(warn[3], { level: 40, msg: 'request completed', decisions: ['first: formatted', 'second: looks wrong'] })

  lines.length = 0
  await app.inject({ url: '/fail' })
  const fail = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  t.match(fail, [{ level: 50, msg: 'unexpected error', err: { message: 'boom' } }, { level: 50, msg: 'request completed', decisions: ['unexpected error'] }])

  // the same in the pretty format: the warning is folded in, the error is not
  const pretty: string[] = []
  const prettyLogging = createLogging(testConfig({ logLevel: 'info', logFormat: 'pretty' }), { write: (line) => void pretty.push(line) })
  const prettyApp = Fastify({ logger: prettyLogging.logger, childLoggerFactory: prettyLogging.childLoggerFactory, logController: new LogController({ disableRequestLogging: true }) })
  prettyApp.addHook('onResponse', prettyLogging.logRequest)
  prettyApp.get('/warn', async (request) => {
    request.log.warn('second: looks wrong')
    return 'ok'
  })
  prettyApp.get('/fail', async (request, reply) => {
    request.log.error({ err: new Error('boom') }, 'unexpected error')
    return reply.code(500).send('failed')
  })
  t.teardown(() => prettyApp.close())
  await prettyApp.inject({ url: '/warn' })
  await prettyApp.inject({ url: '/fail' })
  t.equal(pretty.length, 3)
  t.match(pretty[0], /^\d\d:\d\d:\d\d WARN  GET \/warn 200 \d+ms {2}second: looks wrong\n$/)
  t.match(pretty[1], /^\d\d:\d\d:\d\d ERROR unexpected error\n {4}Error: boom\n {8}at /, 'with its stack')
  t.match(pretty[2], /^\d\d:\d\d:\d\d ERROR GET \/fail 500 \d+ms {2}unexpected error\n$/)
})

t.test('formatPretty', async (t) => {
  const time = Date.UTC(2030, 0, 2, 3, 4, 5)
  const line = (entry: object) => `${JSON.stringify({ time, pid: 1, hostname: 'h', ...entry })}\n`
  t.equal(formatPretty(line({ level: 30, msg: 'Gatehouse ready' })), `${clockTime(time)} INFO  Gatehouse ready\n`)
  t.equal(
    formatPretty(line({ level: 30, reqId: 'req-1', method: 'GET', url: '/authorize?client_id=a&code=[redacted]', status: 303, ms: 3, decisions: ['authorize: consent required: read:x not yet granted'], msg: 'request completed' })),
    `${clockTime(time)} INFO  GET /authorize 303 3ms  authorize: consent required: read:x not yet granted\n`,
    'the query is left out',
  )
  t.equal(
    formatPretty(line({ level: 40, method: 'POST', url: '/oauth/token', status: 400, ms: 12, decisions: ['/oauth/token: invalid_grant: code expired', 'token: second'], msg: 'request completed' })),
    `${clockTime(time)} WARN  POST /oauth/token 400 12ms  invalid_grant: code expired | token: second\n`,
  )
  t.equal(formatPretty(line({ level: 30, method: 'GET', url: '/healthz', status: 200, ms: 0, msg: 'request completed' })), `${clockTime(time)} INFO  GET /healthz 200 0ms\n`)
  t.equal(formatPretty(line({ level: 50, msg: 'unexpected error', err: { stack: 'Error: x\n    at f (a.js:1:1)' } })), `${clockTime(time)} ERROR unexpected error\n    Error: x\n        at f (a.js:1:1)\n`)
  t.equal(formatPretty(line({ level: 40, msg: 'careful' }), true), `${clockTime(time)} \x1b[33mWARN \x1b[0m careful\n`, 'colours on a terminal')
  t.equal(formatPretty('not json\n'), 'not json\n', 'anything else passes through')
})

t.test('the format: pretty on a terminal, JSON otherwise, unless configured', async (t) => {
  t.equal(resolveLogFormat({}, { write() {}, isTTY: true }), 'pretty')
  t.equal(resolveLogFormat({}, { write() {} }), 'json')
  t.equal(resolveLogFormat({ logFormat: 'json' }, { write() {}, isTTY: true }), 'json')
  t.equal(resolveLogFormat({ logFormat: 'pretty' }, { write() {} }), 'pretty')
})

t.test('redactUrl hides secrets in query strings, an Action redirect\'s session_token included', async (t) => {
  t.equal(
    redactUrl('/continue?state=abc&session_token=eyJ.x.y&code=c1&keep=1'),
    '/continue?state=abc&session_token=[redacted]&code=[redacted]&keep=1',
  )
  t.equal(redactUrl('/authorize?client_id=a&id_token_hint=h'), '/authorize?client_id=a&id_token_hint=[redacted]')
})
