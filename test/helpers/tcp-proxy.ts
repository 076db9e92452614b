// A TCP forwarder for fault tests: put it between a client and a server, then cut the line and restore it.
import { createServer, connect, type Socket } from 'node:net'
import type { Test } from 'tap'

export interface TcpProxy {
  /** the local port to connect to (on 127.0.0.1) */
  port: number
  /** destroys every live connection and resets new ones until restore() */
  cut(): void
  /** forwards new connections again */
  restore(): void
  close(): Promise<void>
}

export async function startTcpProxy(t: Test, targetHost: string, targetPort: number): Promise<TcpProxy> {
  const live = new Set<Socket>()
  let cut = false

  const track = (socket: Socket): void => {
    live.add(socket)
    socket.on('close', () => live.delete(socket))
    // A reset line is the point of this proxy; the other side sees it as a closed connection.
    socket.on('error', () => {})
  }

  const server = createServer((downstream) => {
    track(downstream)
    if (cut) {
      downstream.resetAndDestroy()
      return
    }
    const upstream = connect(targetPort, targetHost)
    track(upstream)
    downstream.pipe(upstream)
    upstream.pipe(downstream)
    // Either side going away takes the other with it, as a broken line would.
    downstream.on('close', () => upstream.destroy())
    upstream.on('close', () => downstream.destroy())
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('tcp proxy: no port')

  const destroyAll = (): void => {
    for (const socket of live) socket.resetAndDestroy()
  }

  let closed: Promise<void> | undefined
  const proxy: TcpProxy = {
    port: address.port,
    cut() {
      cut = true
      destroyAll()
    },
    restore() {
      cut = false
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        destroyAll()
      })
      return closed
    },
  }
  t.teardown(() => proxy.close())
  return proxy
}
