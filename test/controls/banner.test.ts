// The start banner says loudly that the test controls are on, and where.
import t from 'tap'
import { buildBanner } from '../../src/cli/banner.js'
import { testConfig } from '../helpers/tenant.js'

t.test('with the controls on, the banner names them and warns', async (t) => {
  const banner = buildBanner(testConfig({ testControls: true }), {}, () => 'fixed')
  t.match(banner, '  Controls    http://gatehouse.test/_gatehouse/ (reset, scenarios, tokens, clock, events)\n')
  t.match(banner, '  !! TEST CONTROLS ARE ON: anyone who can reach this server can reset its tenant, script its\n')
  t.match(banner, '  !! answers, mint tokens it signs and move its clock. For tests only; never expose it.\n')
})

t.test('with the controls off, not a word about them', async (t) => {
  const banner = buildBanner(testConfig(), {}, () => 'fixed')
  t.notMatch(banner, /_gatehouse|CONTROLS/)
})
