import { runSuite } from '../helpers/suite.js'

// the front channel: /authorize, its pages and the code flow
await runSuite('authorize', 'authorize-code', 'interaction')
