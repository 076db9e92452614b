// Slow or stalled clients are cut off: none may hold a socket, or a graceful shutdown, for good.
import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import t from 'tap'
import { buildServer, HTTP_TIMEOUTS } from '../src/server.js'
import { testConfig } from './helpers/tenant.js'

t.test('the HTTP server has deadlines for headers, the whole request, idle sockets and keep-alive', async (t) => {
  const app = await buildServer(testConfig(), { logger: false })
  t.teardown(() => app.close())
  await app.ready()
  t.equal(app.server.headersTimeout, HTTP_TIMEOUTS.headers)
  t.equal(app.server.requestTimeout, HTTP_TIMEOUTS.request)
  t.equal(app.server.timeout, HTTP_TIMEOUTS.idle)
  t.equal(app.server.keepAliveTimeout, HTTP_TIMEOUTS.keepAlive)
  for (const [name, ms] of Object.entries(HTTP_TIMEOUTS)) t.ok(ms > 0 && ms <= 60_000, `${name} is set, at most a minute`)
})

t.test('a client that stops in the middle of its body gets 408 and its socket closed', async (t) => {
  const app = await buildServer(testConfig(), { logger: false, timeouts: { headers: 200, request: 200, checkInterval: 50 } })
  t.teardown(() => app.close())
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo

  const socket = connect(port, '127.0.0.1')
  t.teardown(() => socket.destroy())
  await once(socket, 'connect')
  socket.write(
    'POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      'Content-Length: 100\r\n\r\ngrant_type=',
  )
  let received = ''
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk))
  let timer: NodeJS.Timeout | undefined
  const stillOpen = new Promise<string>((resolve) => (timer = setTimeout(resolve, 10_000, 'still open after 10 s')))
  t.equal(await Promise.race([once(socket, 'close').then(() => 'closed'), stillOpen]), 'closed')
  clearTimeout(timer)
  t.match(received, /^HTTP\/1\.1 408 Request Timeout\r\n/)
})
