/**
 * Face filters, feature boxes, jokes and "Fix it" end to end: the real Vue UI in browser mode,
 * Chromium with the fake camera playing the neutral clip (clips.ts). Screenshots of the
 * filtered live view and the audit's annotated view go to test-results/ for people to look at.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from './app'
import { createPageTracker, e2eSkipReason, openPage, TEST_RESULTS_DIR } from './browser'
import { buildClip, faceApiDemoDir, type BuiltClip } from './clips'
import type { PageCanvas, PageGlobals } from './page-types'

const skipReason = e2eSkipReason()
if (skipReason) it.skip(skipReason, () => undefined)

const ENGINE_START_TIMEOUT_MS = 40_000
const TEST_TIMEOUT_MS = 90_000

/** Near-black pixels (the sunglasses' lenses and frame) in the middle band of the live canvas. */
async function darkPixelsNearFace(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals
    const canvas = document.querySelector('[data-testid="live-canvas"]') as PageCanvas
    const copy = (document as unknown as { createElement(tag: string): PageCanvas }).createElement('canvas')
    copy.width = canvas.width
    copy.height = canvas.height
    const context = copy.getContext('2d')!
    ;(context as unknown as { drawImage(source: unknown, x: number, y: number): void }).drawImage(canvas, 0, 0)
    const { width, height } = copy
    const data = context.getImageData(0, 0, width, height).data
    let dark = 0
    for (let y = Math.round(0.2 * height); y < 0.6 * height; y++) {
      for (let x = Math.round(0.3 * width); x < 0.7 * width; x++) {
        const i = (y * width + x) * 4
        if (data[i] < 40 && data[i + 1] < 45 && data[i + 2] < 60) dark++
      }
    }
    return dark / (width * height)
  })
}

/** Orange (#ff9f1c) feature-box pixels on the overlay canvas. */
async function featureBoxInk(page: Page): Promise<number> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals
    const overlay = document.querySelector('[data-testid="overlay-canvas"]') as PageCanvas
    const { width, height } = overlay
    if (width === 0) return 0
    const data = overlay.getContext('2d')!.getImageData(0, 0, width, height).data
    let orange = 0
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && data[i] > 220 && data[i + 1] > 120 && data[i + 1] < 190 && data[i + 2] < 80) orange++
    return orange
  })
}

async function engineRunning(page: Page): Promise<void> {
  await expect
    .poll(async () => (await page.getByTestId('trigger-state').getAttribute('data-phase')) ?? 'none', { timeout: ENGINE_START_TIMEOUT_MS })
    .not.toBe('none')
}

describe.skipIf(skipReason)('face filters, feature boxes, jokes', () => {
  const pages = createPageTracker()
  let neutral: BuiltClip
  let app: RunningApp
  beforeAll(async () => {
    neutral = await buildClip('neutral')
    await mkdir(TEST_RESULTS_DIR, { recursive: true })
  })
  afterEach(async (context) => {
    await pages.afterEach(context)
    await app?.close()
  })

  it('draws sunglasses with the compositor (in the view and in a capture) and boxes the features', async () => {
    app = await startApp({
      settings: {
        live: { blurMode: 'off', mirror: false, showBoxes: false, showLandmarks: false, showEmotion: false, filter: 'none', showFeatureBoxes: false },
        capture: { autoCapture: false, sound: false, flash: false }
      }
    })
    const { page, errors } = pages.track(await openPage({ camera: { kind: 'clip', clipPath: neutral.path }, url: app.url }))
    await engineRunning(page)
    await page.waitForTimeout(1000)
    const before = await darkPixelsNearFace(page)
    await page.getByTestId('filter-sunglasses').click()
    await page.getByTestId('feature-boxes').check()
    await expect.poll(() => darkPixelsNearFace(page), { timeout: 10_000 }).toBeGreaterThan(before + 0.003)
    await expect.poll(() => featureBoxInk(page), { timeout: 10_000 }).toBeGreaterThan(200)
    await page.getByTestId('live-stage').screenshot({ path: join(TEST_RESULTS_DIR, 'live-sunglasses-feature-boxes.png') })

    // The photo taken carries the filter: dark lens pixels where the face is.
    await page.getByTestId('capture-now').click()
    await expect.poll(() => app.listCaptures(), { timeout: 15_000 }).toHaveLength(1)
    const [name] = await app.listCaptures()
    const { data, info } = await sharp(await readFile(join(app.capturesDir, name))).raw().toBuffer({ resolveWithObject: true })
    let dark = 0
    for (let y = Math.round(0.2 * info.height); y < 0.6 * info.height; y++) {
      for (let x = Math.round(0.3 * info.width); x < 0.7 * info.width; x++) {
        const i = (y * info.width + x) * info.channels
        if (data[i] < 40 && data[i + 1] < 45 && data[i + 2] < 60) dark++
      }
    }
    expect(dark / (info.width * info.height)).toBeGreaterThan(0.003)

    await page.getByTestId('filter-partyHat').click()
    await page.waitForTimeout(1500)
    await page.getByTestId('live-stage').screenshot({ path: join(TEST_RESULTS_DIR, 'live-party-hat.png') })
    errors.assertClean()
  }, TEST_TIMEOUT_MS)

  it('tells a joke when auto-capture has waited a few seconds for a smile (neutral face)', async () => {
    app = await startApp({
      settings: { live: { blurMode: 'off' }, capture: { autoCapture: true, jokes: true, countdown: false, sound: false, flash: false } }
    })
    const { page, errors } = pages.track(await openPage({ camera: { kind: 'clip', clipPath: neutral.path }, url: app.url }))
    await engineRunning(page)
    await expect.poll(() => page.getByTestId('joke').count(), { timeout: 20_000 }).toBe(1)
    const text = (await page.getByTestId('joke').innerText()).trim()
    expect(text).toMatch(/\?/)
    await page.getByTestId('live-stage').screenshot({ path: join(TEST_RESULTS_DIR, 'live-joke.png') })
    expect(await app.listCaptures()).toHaveLength(0)
    errors.assertClean()
  }, TEST_TIMEOUT_MS)
})

describe.skipIf(skipReason)('audit: fix it, filters on the annotated view', () => {
  const pages = createPageTracker()
  let app: RunningApp
  let filesDir: string
  beforeAll(async () => {
    filesDir = await mkdtemp(join(tmpdir(), 'smilecam-e2e-fun-'))
    await mkdir(TEST_RESULTS_DIR, { recursive: true })
  })
  afterEach(pages.afterEach)
  afterAll(async () => {
    await app?.close()
    if (filesDir) await rm(filesDir, { recursive: true, force: true })
  })

  it('fixes a small-face photo into a square that passes its face-size check, and draws a filter on the annotated view', async () => {
    app = await startApp()
    const { page, errors } = pages.track(await openPage({ camera: { kind: 'none' }, url: `${app.url}&tab=audit` }))
    // The package's group photo: faces ~3% of the circle.
    await page.getByTestId('audit-file-input').setInputFiles(join(faceApiDemoDir(), 'sample3.jpg'))
    await expect.poll(() => page.getByTestId('audit-report').count(), { timeout: 60_000 }).toBe(1)
    await page.getByTestId('audit-fix').click()
    await expect.poll(() => page.getByTestId('audit-fixed').count(), { timeout: 60_000 }).toBe(1)
    expect(await page.getByTestId('audit-fixed').getAttribute('data-pass')).toBe('true')
    expect(await page.getByTestId('audit-fixed-verdict').innerText()).toMatch(/Face fills \d+% of the circle/)
    await page.getByTestId('audit-save-fixed').click()
    await expect.poll(() => page.getByTestId('audit-saved').innerText(), { timeout: 10_000 }).toMatch(/sample3-fixed\.jpg/)

    await page.getByTestId('audit-filter-sunglasses').click()
    await page.getByTestId('audit-feature-boxes').check()
    expect(await page.getByTestId('audit-filter').getAttribute('data-filter')).toBe('sunglasses')
    expect(await page.getByTestId('audit-feature-box').count()).toBe(4)
    await page.getByTestId('audit-annotated').screenshot({ path: join(TEST_RESULTS_DIR, 'audit-sunglasses-feature-boxes.png') })
    await page.getByTestId('audit-fixed').screenshot({ path: join(TEST_RESULTS_DIR, 'audit-fixed.png') })
    errors.assertClean()
  }, TEST_TIMEOUT_MS)
})
