// `npm run bench [-- --store URL ...]`: the load bench, the flood, the Management API bench, then the Actions bench, each given the same arguments.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

for (const script of ['run.js', 'flood.js', 'management.js', 'actions.js']) {
  const { status } = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...process.argv.slice(2)], { stdio: 'inherit' })
  if (status !== 0) process.exit(status ?? 1)
}
