// Renders the landing page, the playground, a callback view and its timeline to PNG files in
// docs/screenshots/, with the built server (npm run build first) and Debian's Chromium (never downloaded).
//   npm run screenshots            CHROMIUM=/path/to/chromium npm run screenshots
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const OUT = new URL('../docs/screenshots/', import.meta.url)
const VIEWPORT = { width: 1280, height: 800 }

/** A port that was free a moment ago. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })

/** Starts dist/cli.js (the demo tenant) with throwaway keys; resolves once /healthz answers. */
async function startGatehouse() {
  const port = await freePort()
  const keysDir = await mkdtemp(join(tmpdir(), 'gatehouse-screenshots-'))
  const cli = new URL('../dist/cli.js', import.meta.url).pathname
  const child = spawn(process.execPath, [cli, '--port', String(port), '--host', '127.0.0.1', '--keys-dir', keysDir, '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const stop = async () => {
    child.kill('SIGTERM')
    await rm(keysDir, { recursive: true, force: true })
  }
  const issuer = `http://localhost:${port}/`
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { issuer, stop }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await stop()
  throw new Error('Gatehouse did not start: run npm run build first')
}

const { issuer, stop } = await startGatehouse()
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
try {
  await mkdir(OUT, { recursive: true })
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, colorScheme: 'light' })
  const page = await context.newPage()
  const shot = async (name, target = page) => {
    await target.screenshot({ path: new URL(name, OUT).pathname, animations: 'disabled' })
    console.log(`docs/screenshots/${name}`)
  }

  await page.goto(issuer)
  await shot('landing.png')

  await page.goto(`${issuer}playground?flow=implicit-id-token-token`)
  await page.waitForSelector('pre.request-url')
  await shot('playground.png')

  // Run the flow: sign in as alice, allow, and land on the callback view.
  await page.click('#run')
  await page.waitForURL(/\/login\//)
  await page.fill('input[name=username]', 'alice')
  await page.fill('input[name=password]', 'wonderland')
  await Promise.all([page.waitForURL(/\/consent\//), page.click('button[type=submit]')])
  await Promise.all([page.waitForURL(/\/playground\/callback/), page.click('button[name=decision][value=allow]')])
  await page.waitForSelector('[data-check="access_token:signature"]')
  await page.click('[data-api-call="token"]')
  await page.waitForSelector('#timeline [data-kind="api.allowed"]')
  // the checks and the decoded tokens (above them sit the raw parameters, long token strings)
  await page.locator('#checks').evaluate((el) => el.scrollIntoView({ block: 'start' }))
  await shot('callback.png')
  await shot('timeline.png', page.locator('#timeline'))
} finally {
  await browser.close()
  await stop()
}
