// `npm test`'s first step: the type-check of src and test, and beside it the build, which then only
// emits (the type-check covers what it would check). Either failing fails `npm test`.
import { spawn } from 'node:child_process'

const run = (command) => new Promise((resolve) => spawn(command, { shell: true, stdio: 'inherit' }).on('close', (code) => resolve(code ?? 1)))

const codes = await Promise.all([run('npm run -s typecheck'), run('tsc -p tsconfig.build.json --noCheck && npm run -s bundle')])
process.exit(codes.find((code) => code !== 0) ?? 0)
