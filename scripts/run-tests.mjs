// `npm test`: tap, one job per core (at least 2). The suites keep the cores busy on their own: with
// an extra job on the 2-core machine they took as long or longer, and used more CPU doing it.
import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

const jobs = Math.max(2, availableParallelism())
const { status, error } = spawnSync('tap', [`--jobs=${jobs}`, ...process.argv.slice(2)], { stdio: 'inherit' })
if (error) throw error
process.exit(status ?? 1)
