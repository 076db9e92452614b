// Browser tests: headless Chromium from the system package, driven by playwright-core.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import tap, { type Test } from 'tap'

export const CHROMIUM = '/usr/bin/chromium'
/** Starts CHROMIUM without the hidden renderers it would keep busy (see the script). */
export const CHROMIUM_LAUNCHER = fileURLToPath(new URL('./chromium.sh', import.meta.url))

/** Flags for every Chromium the tests start: no sandbox, no GPU, no background traffic. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

/** Test options that skip a browser test where Chromium is not installed. */
export const needsChromium = { skip: !existsSync(CHROMIUM) && `${CHROMIUM} not installed` }

let shared: Promise<Browser> | undefined

/**
 * The test process's one headless Chromium, started by the first test that asks and closed when the
 * process's tests end: a start costs more CPU than most of what a test does in it. Tests keep apart
 * by each working in contexts of its own (newContext).
 */
export function sharedChromium(): Promise<Browser> {
  if (shared === undefined) {
    shared = chromium.launch({ executablePath: CHROMIUM_LAUNCHER, headless: true, args: CHROMIUM_ARGS })
    tap.teardown(async () => (await shared!).close())
  }
  return shared
}

/** A fresh browser context (its own cookies and storage), closed on teardown. */
export async function newContext(t: Test, browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext()
  t.teardown(() => context.close())
  return context
}

/**
 * Collects the page's console errors and page errors (CSP violations included) into the returned list, which
 * a test then expects empty. Console reports of failed loads are left out: a test checks responses by URL itself,
 * since browsers ask every origin for /favicon.ico.
 */
export function collectPageErrors(page: Page): string[] {
  const problems: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(msg.text())
  })
  page.on('pageerror', (err) => problems.push(err.message))
  return problems
}
