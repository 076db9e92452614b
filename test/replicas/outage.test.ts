// The database goes away: requests are answered 503 (JSON with Retry-After, or a page for browsers),
// /healthz says so, nothing crashes, and all is well again once the database is back. A database
// that cannot be used at start is one line on stderr and exit code 2.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { freePort } from '../helpers/listen.js'
import { freshPostgres, POSTGRES_SKIP_REASON, postgresAdminUrl, postgresUrlFor } from '../helpers/postgres.js'
import { buildReplica, runCli, startStallingProxy, withPoolSettings } from '../helpers/replicas.js'
import { authorizeUrl, errorPageOf } from '../helpers/server.js'
import { startTcpProxy } from '../helpers/tcp-proxy.js'
import { BACKEND_BASIC, organizerRequest, postToken } from '../helpers/tokens.js'

/** A replica on PostgreSQL through a proxy on `proxyPort`, waiting at most 1 s for a connection and 2 s for a query. */
async function replicaThrough(t: Test, url: string, proxyPort: number) {
  const through = new URL(url)
  through.port = String(proxyPort)
  const { app } = await buildReplica(t, withPoolSettings(through.toString(), { connect_timeout: 1, query_timeout: 2 }), t.testdir(), 'A')
  const token = () => postToken(app, { grant_type: 'client_credentials', audience: 'appointments:api' }, { authorization: BACKEND_BASIC })
  const authorize = (accept = 'text/html,application/xhtml+xml,*/*;q=0.8') =>
    app.inject({ url: authorizeUrl(organizerRequest()), headers: { accept } })
  const health = () => app.inject({ url: '/healthz' })

  /** A token, the login page and a healthy /healthz. */
  const served = async (when: string) => {
    const issued = await token()
    t.equal(issued.statusCode, 200, `${when}: a token`)
    t.equal(issued.json().token_type, 'Bearer')
    const started = await authorize()
    t.equal(started.statusCode, 303, `${when}: to the login page`)
    t.match(started.headers.location, /^\/login\//)
    const healthy = await health()
    t.equal(healthy.statusCode, 200, `${when}: healthy`)
    t.strictSame(healthy.json(), { status: 'ok' })
  }

  /** 503 everywhere: JSON with Retry-After, a page for browsers, an unhealthy /healthz. */
  const unavailable = async () => {
    const refused: LightMyRequestResponse = await token()
    t.equal(refused.statusCode, 503)
    t.strictSame(refused.json(), { error: 'temporarily_unavailable', error_description: 'the store is unavailable; try again shortly' })
    t.match(refused.headers['retry-after'], /^[1-9]\d*$/, 'Retry-After in seconds')
    t.equal(refused.headers['cache-control'], 'no-store')

    const page = await authorize()
    t.equal(page.statusCode, 503)
    t.match(page.headers['content-type'], /^text\/html/)
    t.match(errorPageOf(page.body), { error: 'temporarily_unavailable' }, 'an error page naming the error')
    t.notOk(page.headers.location, 'no redirect')
    t.match(page.headers['retry-after'], /^[1-9]\d*$/)

    const json = await authorize('application/json')
    t.equal(json.statusCode, 503, 'a non-browser client gets JSON')
    t.equal(json.json().error, 'temporarily_unavailable')

    const unhealthy = await health()
    t.equal(unhealthy.statusCode, 503)
    t.equal(unhealthy.json().status, 'unavailable')
    t.type(unhealthy.json().reason, 'string')
    t.notMatch(unhealthy.json().reason, ':gatehouse@', 'the reason shows no password')

    // Several at once: the same answers, no crash.
    const again = await Promise.all([token(), authorize(), health()])
    t.strictSame(again.map((res) => res.statusCode), [503, 503, 503])
  }
  return { served, unavailable }
}

t.test('while the line to PostgreSQL is cut: 503s and an unhealthy /healthz; after it is restored: served again, same process', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const target = new URL(url)
  const proxy = await startTcpProxy(t, target.hostname, Number(target.port || 5432))
  const { served, unavailable } = await replicaThrough(t, url, proxy.port)
  await served('before the cut')
  proxy.cut()
  await unavailable()
  proxy.restore()
  await served('after the restore')
})

t.test('while the line to PostgreSQL stalls (no answer, no reset): 503s once the timeouts run out; served again when it flows', async (t) => {
  const url = await freshPostgres(t)
  if (!url) return
  const target = new URL(url)
  const proxy = await startStallingProxy(t, target.hostname, Number(target.port || 5432))
  const { served, unavailable } = await replicaThrough(t, url, proxy.port)
  await served('before the stall')
  proxy.stall()
  await unavailable()
  proxy.resume()
  await served('after the stall')
})

// ------------------------------------------------------------ refusing to start

const lines = (text: string) => text.split('\n').filter((line) => line !== '')

t.test('the CLI exits 2 with one line naming the database and the cause, password masked', async (t) => {
  const admin = postgresAdminUrl()
  if (admin === undefined) return t.plan(0, POSTGRES_SKIP_REASON)
  const keys = join(t.testdir(), 'keys')
  const maskedPrefix = (url: URL) => `gatehouse: postgres://${url.username}:***@${url.host}${url.pathname}`

  const closed = new URL(admin)
  closed.hostname = '127.0.0.1'
  closed.port = String(await freePort())
  const wrongPassword = new URL(admin)
  wrongPassword.password = 'not-the-password-xyzzy'
  const missing = new URL(postgresUrlFor('gatehouse_no_such_database_here', admin))
  const cases = [
    { name: 'unreachable', url: closed, cause: /ECONNREFUSED/ },
    { name: 'wrong password', url: wrongPassword, cause: /password authentication failed for user "[^"]+"/ },
    { name: 'missing database', url: missing, cause: /database "gatehouse_no_such_database_here" does not exist/ },
  ]
  for (const { name, url, cause } of cases) {
    const { code, stderr } = await runCli(['--store', url.toString(), '--port', '0', '--keys-dir', keys])
    t.equal(code, 2, `${name}: exit code 2`)
    t.equal(lines(stderr).length, 1, `${name}: one line: ${stderr}`)
    t.ok(stderr.startsWith(maskedPrefix(url)), `${name}: starts with the masked URL: ${stderr}`)
    t.match(stderr, cause, `${name}: names the cause`)
    t.notMatch(stderr, 'not-the-password-xyzzy', `${name}: no password, not even a wrong one`)
  }
})

t.test('the CLI exits 2 with one line for a sqlite path it cannot create', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'regular-file')
  writeFileSync(file, 'not a directory\n')
  const path = join(file, 'gatehouse.db')
  const { code, stdout, stderr } = await runCli(['--store', `sqlite:${path}`, '--port', '0', '--keys-dir', join(dir, 'keys')])
  t.equal(code, 2)
  t.equal(lines(stderr).length, 1, `one line: ${stderr}`)
  t.ok(stderr.startsWith(`gatehouse: sqlite:${path}: `), stderr)
  t.match(stderr, /ENOTDIR|not a directory/i, 'names the cause')
  t.notMatch(stdout, 'Gatehouse ready at', 'never ready')
})
