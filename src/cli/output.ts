// stdout and stderr that outlive their reader: when a pipe closes (`gatehouse | head -3`, a CI
// fixture whose log collector stops), a write fails with EPIPE, an uncaught exception without a
// listener. From then on output is dropped and Gatehouse goes on serving.
import type { LogSink } from '../logging.js'

export interface Output extends LogSink {
  write(text: string): void
}

export function createOutput(stream: NodeJS.WriteStream): Output {
  let open = true
  stream.on('error', () => {
    open = false
  })
  const tty = stream.isTTY === true
  return {
    write(text) {
      if (open && !stream.destroyed) stream.write(text)
    },
    isTTY: tty,
    // hasColors exists on terminals only, and honours NO_COLOR and FORCE_COLOR
    hasColors: () => tty && typeof stream.hasColors === 'function' && stream.hasColors(),
  }
}
