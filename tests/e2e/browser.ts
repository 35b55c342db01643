/**
 * Launching Debian's Chromium for the e2e tests and the live benchmark, with a fake camera
 * that plays a y4m clip, and collecting every page error so a test can fail on it.
 */
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core'
import { hasFfmpeg } from './clips'

export const CHROMIUM_PATH = process.env.SMILECAM_CHROMIUM ?? '/usr/bin/chromium'
export const FFMPEG_PATH = '/usr/bin/ffmpeg'
export const TEST_RESULTS_DIR = join(process.cwd(), 'test-results')

/** Flags for a headless, offline, quiet Chromium (no sandbox: CI runs as root in a container). */
export const BASE_CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Headless tabs are "hidden" to Chromium; without these it throttles rAF and timers.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows'
]

/** Why the browser tests cannot run here, or null when they can. */
export function e2eSkipReason(): string | null {
  if (!existsSync(CHROMIUM_PATH)) return `e2e skipped: ${CHROMIUM_PATH} is missing (apt-get install chromium)`
  if (!hasFfmpeg(FFMPEG_PATH)) return `e2e skipped: ${FFMPEG_PATH} is missing (apt-get install ffmpeg)`
  return null
}

export type CameraMode =
  /** A fake camera playing the clip; the permission prompt is auto-accepted. */
  | { kind: 'clip'; clipPath: string }
  /** A fake camera, but the permission prompt is never accepted (headless dismisses it). */
  | { kind: 'denied'; clipPath: string }
  /** No fake device at all; the machine's real devices (none in CI). */
  | { kind: 'none' }

export function chromiumFlags(camera: CameraMode): string[] {
  const flags = [...BASE_CHROMIUM_FLAGS]
  if (camera.kind === 'clip' || camera.kind === 'denied') {
    flags.push('--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${camera.clipPath}`)
  }
  if (camera.kind === 'clip') flags.push('--use-fake-ui-for-media-stream')
  return flags
}

export async function launchChromium(camera: CameraMode): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumFlags(camera) })
}

export interface PageErrorLog {
  errors: string[]
  /** Throws when the page logged a console error or threw, listing every one. */
  assertClean(): void
}

/**
 * Records uncaught page errors and console errors. `allow` lists substrings of console errors
 * a test expects (e.g. a 404 a test provokes on purpose); anything else fails the test.
 */
export function watchPageErrors(page: Page, allow: (string | RegExp)[] = []): PageErrorLog {
  const errors: string[] = []
  const allowed = (text: string): boolean =>
    allow.some((pattern) => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)))
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return
    const text = `${message.text()} @ ${message.location().url}`
    if (!allowed(text)) errors.push(`console.error: ${text}`)
  })
  page.on('crash', () => errors.push('page crashed'))
  return {
    errors,
    assertClean() {
      if (errors.length > 0) throw new Error(`page reported ${errors.length} error(s):\n${errors.join('\n')}`)
    }
  }
}

/** Saves a full-page screenshot into test-results/ (used when a test fails). */
export async function saveScreenshot(page: Page, testName: string): Promise<string> {
  mkdirSync(TEST_RESULTS_DIR, { recursive: true })
  const path = join(TEST_RESULTS_DIR, `${testName.replace(/[^a-z0-9-]+/gi, '_')}.png`)
  await page.screenshot({ path, fullPage: true }).catch(() => undefined)
  return path
}

export interface OpenedPage {
  browser: Browser
  context: BrowserContext
  page: Page
  errors: PageErrorLog
  close(): Promise<void>
}

export interface OpenPageOptions {
  camera: CameraMode
  url: string
  allowConsoleErrors?: (string | RegExp)[]
  /** Origin permissions granted up front (e.g. ['camera']). */
  permissions?: string[]
  viewport?: { width: number; height: number }
  /** Script run in the page before any of its own scripts. */
  initScript?: string
}

export async function openPage(options: OpenPageOptions): Promise<OpenedPage> {
  const browser = await launchChromium(options.camera)
  try {
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } })
    if (options.permissions) await context.grantPermissions(options.permissions, { origin: new URL(options.url).origin })
    if (options.initScript) await context.addInitScript(options.initScript)
    const page = await context.newPage()
    const errors = watchPageErrors(page, options.allowConsoleErrors)
    await page.goto(options.url)
    return { browser, context, page, errors, close: () => browser.close() }
  } catch (error) {
    await browser.close()
    throw error
  }
}

export interface PageTracker {
  /**
   * Remembers a page so it is screenshotted if a test fails. Per-test pages are closed after
   * each test; shared pages (opened in beforeAll) only by closeAll.
   */
  track(opened: OpenedPage, lifetime?: 'test' | 'shared'): OpenedPage
  current(): OpenedPage | null
  /** Register with afterEach: screenshot on failure (into test-results/), then close per-test pages. */
  afterEach(context: { task: { name: string; result?: { state?: string } } }): Promise<void>
  /** Register with afterAll. */
  closeAll(): Promise<void>
}

export function createPageTracker(): PageTracker {
  let perTest: OpenedPage[] = []
  const shared: OpenedPage[] = []
  return {
    track(opened, lifetime = 'test') {
      ;(lifetime === 'shared' ? shared : perTest).push(opened)
      return opened
    },
    current: () => perTest[perTest.length - 1] ?? shared[shared.length - 1] ?? null,
    async afterEach({ task }) {
      const closing = perTest
      perTest = []
      if (task.result?.state === 'fail') {
        for (const [i, opened] of [...closing, ...shared].entries()) {
          const path = await saveScreenshot(opened.page, `${task.name}${i > 0 ? `-${i}` : ''}`)
          const errors = opened.errors.errors.length ? `\n${opened.errors.errors.join('\n')}` : ''
          console.log(`screenshot of the failed test: ${path}${errors}`)
        }
      }
      await Promise.all(closing.map((opened) => opened.close().catch(() => undefined)))
    },
    async closeAll() {
      const all = [...perTest, ...shared]
      perTest = []
      shared.length = 0
      await Promise.all(all.map((opened) => opened.close().catch(() => undefined)))
    }
  }
}
