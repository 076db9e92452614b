// Browser tests: headless Chromium from the system package, driven by playwright-core.
import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Test } from 'tap'

export const CHROMIUM = '/usr/bin/chromium'

/** Test options that skip a browser test where Chromium is not installed. */
export const needsChromium = { skip: !existsSync(CHROMIUM) && `${CHROMIUM} not installed` }

/** Launches headless Chromium (no sandbox, no GPU, no background traffic); closed on teardown. */
export async function launchChromium(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  t.teardown(() => browser.close())
  return browser
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
