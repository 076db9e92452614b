import { runSuite } from '../helpers/suite.js'

// the process: the CLI, its HTTP deadlines and its log (test/*.test.ts)
await runSuite('')
