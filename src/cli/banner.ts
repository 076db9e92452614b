// What a person needs once Gatehouse is up: the addresses to use, what it serves, how to sign in.
import { DEMO_AUDIENCE, DEMO_CALLBACK, DEMO_CLIENT_ID } from '../config/demo-tenant.js'
import type { Config, Tenant } from '../config/types.js'
import { playgroundUrls } from '../playground/urls.js'
import { redactStoreUrl, storeAdapter } from '../store/url.js'
import { developmentTlsPaths } from '../tls/paths.js'
import type { IdGenerator } from '../util/ids.js'

/** Pages served under the issuer, listed when this build serves them. */
export interface BannerPages {
  /** the landing page, GET <issuer> */
  home?: string
  /** the playground, GET <issuer>playground */
  playground?: string
}

const row = (label: string, value: string) => `  ${label.padEnd(11)} ${value}`

export function buildBanner(config: Config, pages: BannerPages, newId: IdGenerator): string {
  const lines = [
    '',
    config.demo
      ? '  Gatehouse is serving the built-in demo tenant (use --config FILE for your own).'
      : `  Gatehouse is serving the tenant in ${config.configFile ?? 'the config file'} (${describeTenant(config.tenant)}).`,
    '',
    row('Issuer', config.issuer),
    row('Discovery', `${config.issuer}.well-known/openid-configuration`),
    ...pageRows(pages),
    row('Store', describeStore(config.store)),
  ]
  if (config.testControls) lines.push(...testControlsWarning(config.issuer))
  if (config.tls?.kind === 'development-ca') lines.push(...trustDevelopmentCa(config.keysDir))
  else if (config.tls?.kind === 'own-certificate') lines.push(row('TLS', `${config.tls.certFile} (your certificate)`))
  if (config.demo) lines.push('', ...demoSignIn(config, pages, newId))
  return [...lines, '', ''].join('\n')
}

// Said loudly: whoever reaches these can change what the server answers.
function testControlsWarning(issuer: string): string[] {
  return [
    row('Controls', `${issuer}_gatehouse/ (reset, scenarios, tokens, clock, events)`),
    '',
    '  !! TEST CONTROLS ARE ON: anyone who can reach this server can reset its tenant, script its',
    '  !! answers, mint tokens it signs and move its clock. For tests only; never expose it.',
  ]
}

// The landing page and the playground go here, next to the issuer they live under.
function pageRows(pages: BannerPages): string[] {
  const rows: string[] = []
  if (pages.home !== undefined) rows.push(row('Home', pages.home))
  if (pages.playground !== undefined) rows.push(row('Playground', pages.playground))
  return rows
}

// Clients refuse the server certificate until they trust the CA that signed it; nothing else is needed.
function trustDevelopmentCa(keysDir: string): string[] {
  const { ca } = developmentTlsPaths(keysDir)
  return [
    row('TLS CA', `${ca} (made by Gatehouse; clients must trust it)`),
    '',
    '  Node clients trust it when started with:',
    `  NODE_EXTRA_CA_CERTS=${ca}`,
    '  Browsers: import ca.pem as a trusted authority, or use a throw-away Chromium with --ignore-certificate-errors',
  ]
}

function demoSignIn(config: Config, pages: BannerPages, newId: IdGenerator): string[] {
  const users = config.tenant.users.map((u, i) => row(i === 0 ? 'Users' : '', `${u.username ?? u.email} / ${u.password}`))
  // The playground's quick start signs in for real and ends on its callback view, with the tokens explained.
  if (pages.playground !== undefined) {
    return [...users, '', '  Sign in and see the tokens, decoded and verified:', `  ${playgroundUrls(config.issuer).quickStart}`]
  }
  const query = new URLSearchParams({
    client_id: DEMO_CLIENT_ID,
    redirect_uri: DEMO_CALLBACK,
    response_type: 'token id_token',
    scope: 'openid profile email read:items',
    audience: DEMO_AUDIENCE,
    nonce: newId(16),
    state: newId(16),
  })
  // URLSearchParams writes spaces as "+"; %20 survives being pasted anywhere
  const authorize = `${config.issuer}authorize?${query.toString().replaceAll('+', '%20')}`
  return [...users, '', `  Sign in to the demo SPA; the tokens come back to ${DEMO_CALLBACK}:`, `  ${authorize}`]
}

function describeTenant(tenant: Tenant): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  return [
    count(tenant.clients.length, 'client', 'clients'),
    count(tenant.resource_servers.length, 'API', 'APIs'),
    count(tenant.users.length, 'user', 'users'),
  ].join(', ')
}

/** The store URL as it can be shown (never with its password), and what it means. */
export function describeStore(store: string): string {
  switch (storeAdapter(store)) {
    case 'memory':
      return 'memory: (nothing is kept when Gatehouse stops)'
    case 'sqlite':
      return `${store} (kept across restarts; signing keys too)`
    case 'postgres':
      return `${redactStoreUrl(store)} (shared by every replica; signing keys too)`
    default:
      return redactStoreUrl(store)
  }
}
