// `npm test`: tap, with one job more than there are cores (at least 3). Much of the suite waits on
// child processes (Chromium, PostgreSQL, the CLI), so an extra job keeps the cores busy.
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

const jobs = Math.max(3, availableParallelism() + 1)
const { status, error } = spawnSync('tap', [`--jobs=${jobs}`, ...process.argv.slice(2)], { stdio: 'inherit' })
if (error) throw error
process.exit(status ?? 1)
