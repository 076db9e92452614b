import { runSuite } from '../helpers/suite.js'

await runSuite('replicas')
