import { runSuite } from '../helpers/suite.js'

// what happens before a request: config, the tenant file, the start banner, utilities
await runSuite('config', 'tenant', 'cli', 'util')
