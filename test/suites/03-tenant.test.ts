import { runSuite } from '../helpers/suite.js'

// the tenant at runtime: the Management API, roles, signing keys, other SDKs against them
await runSuite('management', 'rbac', 'keys', 'interop')
