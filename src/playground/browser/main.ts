// Entry point of the playground's browser code (bundled into dist/playground/playground.js at build time).
import type { PageData } from '../page-data.js'
import { startPlayground } from './builder.js'
import { startCallback } from './callback.js'
import { startCountdowns } from './tokens.js'

const root = document.getElementById('app')
const data = JSON.parse(document.getElementById('playground-data')?.dataset.json ?? '{}') as PageData
if (root) {
  const start = root.dataset.view === 'callback' ? startCallback : startPlayground
  start(root, data).catch((err: unknown) => root.append(`The playground failed: ${(err as Error).message}`))
  startCountdowns()
}
