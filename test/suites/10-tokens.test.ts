import { runSuite } from '../helpers/suite.js'

// the back channel: the token endpoint and what reads or ends tokens
await runSuite('grants', 'tokens', 'introspection', 'revocation', 'userinfo', 'logout')
