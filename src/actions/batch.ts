// Messages between Gatehouse and an Action thread go in batches: what one turn of the event loop
// sends (the runs of every request that turn read, say) crosses as one JSON array. Waking the other
// thread costs more than the message itself, and JSON text crosses faster than structured clone.

/** A sender that gathers messages and posts them together once the current turn of the loop ends. */
export function batchedSender<M>(post: (text: string) => void): { send(message: M): void; flush(): void } {
  let queued: M[] = []
  let scheduled: NodeJS.Immediate | undefined
  const flush = () => {
    if (scheduled !== undefined) clearImmediate(scheduled)
    scheduled = undefined
    if (queued.length === 0) return
    const batch = queued
    queued = []
    post(JSON.stringify(batch))
  }
  return {
    send(message) {
      queued.push(message)
      scheduled ??= setImmediate(flush)
    },
    flush,
  }
}
