import { runSuite } from '../helpers/suite.js'

// what tests and learners drive: the test controls, the event log, the playground, the routes around
await runSuite('controls', 'events', 'playground', 'cors', 'routes')
