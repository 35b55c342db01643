/**
 * What a new user meets (issue 13, items 1-7), end to end in browser mode with the fake camera:
 * first start with the default settings, auto-capture with its limit and best shot, the photo
 * shortcut and blur-as-seen, the layout at the desktop window's widths, calibration, settings
 * wording and LinkedIn state, and Open on a saved photo.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from './app'
import { createPageTracker, e2eSkipReason, openPage } from './browser'
import { buildClip, type BuiltClip } from './clips'
import type { PageElement, PageGlobals } from './page-types'

const skipReason = e2eSkipReason()
if (skipReason) it.skip(skipReason, () => undefined)

const ENGINE_START_TIMEOUT_MS = 40_000
const TEST_TIMEOUT_MS = 120_000

interface Probe {
  videoTime: number
  captureCount: number
  phase: string
  captureStatus: string | null
  meterStatus: string | null
  error: string | null
}

async function probe(page: Page): Promise<Probe> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals
    type Shown = PageElement & { textContent: string | null }
    const text = (id: string) => (document.querySelector(`[data-testid="${id}"]`) as Shown | null)?.textContent?.trim() ?? null
    const video = document.querySelector('[data-testid="live-video"]') as { currentTime: number } | null
    const count = document.querySelector('[data-testid="capture-count"]') as PageElement | null
    const state = document.querySelector('[data-testid="trigger-state"]') as PageElement | null
    const banner = document.querySelector('[data-testid="engine-error"], [data-testid="compositor-error"], [data-testid="camera-error"]') as Shown | null
    return {
      videoTime: video?.currentTime ?? 0,
      captureCount: Number(count?.getAttribute('data-count') ?? NaN),
      phase: state?.getAttribute('data-phase') ?? 'none',
      captureStatus: text('capture-status'),
      meterStatus: text('trigger-state'),
      error: banner ? (banner.textContent ?? '').trim() : null
    }
  })
}

async function pollUntil(page: Page, done: (p: Probe) => boolean, timeoutMs: number, seen?: (p: Probe) => void): Promise<Probe> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const current = await probe(page)
    if (current.error) throw new Error(`the page shows an error: ${current.error}`)
    seen?.(current)
    if (done(current)) return current
    if (Date.now() > deadline) throw new Error(`timed out; last probe ${JSON.stringify(current)}`)
    await page.waitForTimeout(100)
  }
}

const engineUp = (p: Probe) => p.phase !== 'none' && p.videoTime > 0

/** Mean squared Laplacian of a region of a saved JPEG's luma: low when blurred. */
async function regionSharpness(file: string, region: { left: number; top: number; width: number; height: number }): Promise<number> {
  const { data, info } = await sharp(file).extract(region).greyscale().raw().toBuffer({ resolveWithObject: true })
  let sum = 0
  let count = 0
  for (let y = 1; y < info.height - 1; y++) {
    for (let x = 1; x < info.width - 1; x++) {
      const i = y * info.width + x
      const laplacian = data[i - 1] + data[i + 1] + data[i - info.width] + data[i + info.width] - 4 * data[i]
      sum += laplacian * laplacian
      count++
    }
  }
  return sum / count
}

/** Records the width each getUserMedia call asks for (the fake camera itself always gives 640×480). */
const RECORD_CAMERA_REQUESTS = `(() => {
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  window.__cameraWidths = []
  navigator.mediaDevices.getUserMedia = (constraints) => {
    window.__cameraWidths.push(constraints && constraints.video && constraints.video.width ? constraints.video.width.ideal : null)
    return original(constraints)
  }
})()`

async function requestedWidths(page: Page): Promise<(number | null)[]> {
  return page.evaluate(() => (globalThis as unknown as { __cameraWidths: (number | null)[] }).__cameraWidths)
}

describe.skipIf(skipReason)('a new user with a fake camera', () => {
  const pages = createPageTracker()
  let app: RunningApp | undefined
  afterEach(async (context) => {
    await pages.afterEach(context)
    await app?.close()
    app = undefined
  })
  afterAll(() => pages.closeAll())
  let smiling: BuiltClip
  let neutral: BuiltClip
  let smileHold: BuiltClip

  beforeAll(async () => {
    ;[smiling, neutral, smileHold] = await Promise.all([buildClip('smiling'), buildClip('neutral'), buildClip('smile-hold')])
  })

  it('first start: clean view, auto-capture off and the status says a smile was seen but nothing saved; overlays one click away', async () => {
    app = await startApp()
    const { page, errors } = pages.track(
      await openPage({ camera: { kind: 'clip', clipPath: smiling.path }, url: app.url, initScript: RECORD_CAMERA_REQUESTS })
    )
    await pollUntil(page, engineUp, ENGINE_START_TIMEOUT_MS)
    expect(await page.getByTestId('auto-capture').isChecked()).toBe(false)
    expect(await page.getByTestId('hud').count()).toBe(0)
    expect(await page.getByTestId('overlays-toggle').textContent()).toMatch(/Show overlays/)
    // The camera is asked for Full HD by default (the engine still gets small frames).
    expect(await requestedWidths(page)).toEqual([1920])

    const meterLines = new Set<string>()
    const fired = await pollUntil(page, (p) => p.captureStatus !== null, 40_000, (p) => p.meterStatus && meterLines.add(p.meterStatus))
    expect(fired.captureStatus).toBe('Smile seen, nothing saved: auto-capture is off.')
    expect([...meterLines]).not.toContain('Captured!')
    expect(fired.captureCount).toBe(0)
    expect(await app.listCaptures()).toEqual([])

    await page.getByTestId('overlays-toggle').click()
    await page.getByTestId('hud').waitFor()
    expect(await page.getByTestId('overlays-toggle').textContent()).toMatch(/Hide overlays/)
    await expect.poll(async () => JSON.parse(await readFile(app!.settingsFile, 'utf8')).live).toMatchObject({
      showBoxes: true,
      showLandmarks: true,
      showEmotion: true,
      showHud: true
    })

    // Settings in plain words; browser mode says LinkedIn sign-in needs the desktop app.
    await page.getByTestId('tab-settings').click()
    await page.getByTestId('linkedin-state').waitFor()
    await expect.poll(() => page.getByTestId('linkedin-state').textContent()).toMatch(/needs the Smilecam desktop app/)
    expect(await page.getByTestId('linkedin-signin').isDisabled()).toBe(true)
    const settingsText = (await page.locator('.settings').textContent()) ?? ''
    expect(settingsText).not.toContain('Teeth threshold (MAR)')
    expect(settingsText).toContain('How far the mouth must open')
    await page.getByTestId('settings-mirror').uncheck()
    await page.getByTestId('settings-reset').click()
    await expect.poll(() => page.getByTestId('settings-mirror').isChecked()).toBe(true)
    // A camera resolution choice: back on the live page the camera is asked again at 1280 wide.
    await page.getByTestId('settings-camera-resolution').selectOption('720p')
    await page.getByTestId('tab-live').click()
    await expect.poll(() => requestedWidths(page)).toEqual([1920, 1280])
    errors.assertClean()
  }, TEST_TIMEOUT_MS)

  it('auto-capture saves the best frame of each smile, pauses at the session limit, and says so', async () => {
    app = await startApp({ settings: { capture: { autoCapture: true, sessionLimit: 2, cooldownMs: 3000, sound: false } } })
    const { page, errors } = pages.track(await openPage({ camera: { kind: 'clip', clipPath: smiling.path }, url: app.url }))
    await pollUntil(page, engineUp, ENGINE_START_TIMEOUT_MS)
    const first = await pollUntil(page, (p) => p.captureCount === 1, 40_000)
    expect(first.captureStatus).toBe('Saved photo 1 of 2 this session.')
    const limit = await pollUntil(page, (p) => p.captureCount === 2, 40_000)
    expect(limit.captureStatus).toBe('Saved photo 2 of 2. Auto-capture is paused for this session.')
    // Two more passes of the smiling clip: nothing more is saved, and the status says why.
    const later = await pollUntil(page, (p) => p.videoTime >= limit.videoTime + (2 * smiling.durationMs) / 1000, 40_000)
    expect(later.captureCount).toBe(2)
    expect(later.captureStatus).toBe('Smile seen, nothing saved: the session limit is reached.')
    expect(await app.listCaptures()).toHaveLength(2)
    errors.assertClean()
  }, TEST_TIMEOUT_MS)

  it('Space takes a photo (shown on the button), blurred exactly when the view is blurred', async () => {
    app = await startApp({ settings: { live: { blurMode: 'person', blurStrength: 1 }, capture: { sound: false } } })
    const { page, errors } = pages.track(await openPage({ camera: { kind: 'clip', clipPath: neutral.path }, url: app.url }))
    await pollUntil(page, engineUp, ENGINE_START_TIMEOUT_MS)
    expect(await page.getByTestId('capture-shortcut').textContent()).toBe('Space')
    expect(await page.getByTestId('capture-now').getAttribute('aria-keyshortcuts')).toBe('Space')
    await page.waitForTimeout(1500) // a few masks in, so the blur is on screen
    await page.locator('body').press('Space')
    await pollUntil(page, (p) => p.captureCount === 1, 15_000)
    // Names sort by time to the second; two photos within one second may list either way round.
    const [blurredName] = await app.listCaptures()
    // Space right after clicking a button takes the photo; it does not press that button again.
    await page.getByTestId('blur-mode-off').click()
    await page.getByTestId('blur-mode-off').press('Space')
    await pollUntil(page, (p) => p.captureCount === 2, 15_000)
    expect(await page.getByTestId('blur-mode-off').getAttribute('aria-checked')).toBe('true')
    const sharpName = (await app.listCaptures()).find((name) => name !== blurredName)!
    const [blurredFile, sharpFile] = [blurredName, sharpName].map((name) => join(app!.capturesDir, name))
    // The clip's background is the top-left corner (the face is in the middle).
    const corner = { left: 8, top: 8, width: 120, height: 90 }
    const blurred = await regionSharpness(blurredFile, corner)
    const plain = await regionSharpness(sharpFile, corner)
    console.log(`saved photo background sharpness: blur on ${blurred.toFixed(1)}, blur off ${plain.toFixed(1)}`)
    expect(blurred).toBeLessThan(plain / 3)
    errors.assertClean()
  }, TEST_TIMEOUT_MS)

  it('calibration counts down, rejects a smiling sample and shows the result of a relaxed one, with an obvious reset', async () => {
    app = await startApp()
    const smile = pages.track(await openPage({ camera: { kind: 'clip', clipPath: smileHold.path }, url: app.url }))
    await pollUntil(smile.page, engineUp, ENGINE_START_TIMEOUT_MS)
    await smile.page.getByTestId('calibrate').click()
    const status = smile.page.getByTestId('calibration-status')
    await expect.poll(() => status.textContent()).toMatch(/^Relax your face, lips closed… \d/)
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 15_000 }).toBe('rejected')
    expect(await status.textContent()).toMatch(/looked like a smile|mouth was open/)
    await smile.close()

    const relaxed = pages.track(await openPage({ camera: { kind: 'clip', clipPath: neutral.path }, url: app.url }))
    await pollUntil(relaxed.page, engineUp, ENGINE_START_TIMEOUT_MS)
    await relaxed.page.getByTestId('calibrate').click()
    const result = relaxed.page.getByTestId('calibration-status')
    await expect.poll(() => result.getAttribute('data-phase'), { timeout: 15_000 }).toBe('done')
    expect(await result.textContent()).toMatch(/^Calibrated: your relaxed mouth opening is 0\.0\d\d\.$/)
    await relaxed.page.getByTestId('calibration-reset').click()
    expect(await relaxed.page.getByTestId('calibration-status').count()).toBe(0)
    expect(await relaxed.page.getByTestId('calibration-reset').count()).toBe(0)
    relaxed.errors.assertClean()
  }, TEST_TIMEOUT_MS)

  describe('layout and saved photos', () => {
    let shared: RunningApp
    beforeAll(async () => {
      shared = await startApp()
      // Twenty saved photos: the strip that used to widen the narrow layout to 3,000 px.
      for (let i = 0; i < 20; i++) {
        const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 10 * i, g: 120, b: 200 } } }).jpeg().toBuffer()
        await writeFile(join(shared.capturesDir, `smilecam-2026-12-01-10${String(i).padStart(2, '0')}00.jpg`), jpeg)
      }
    })
    afterAll(() => shared?.close())

    for (const width of [880, 1280, 1920]) {
      it(`fits the window at ${width} px wide: the preview stays in its box, nothing scrolls sideways`, async () => {
        const { page, errors } = pages.track(
          await openPage({ camera: { kind: 'clip', clipPath: neutral.path }, url: shared.url, viewport: { width, height: 900 } })
        )
        await pollUntil(page, engineUp, ENGINE_START_TIMEOUT_MS)
        await expect.poll(() => page.getByTestId('capture-thumb').count()).toBe(20)
        const layout = await page.evaluate(() => {
          const { document } = globalThis as unknown as PageGlobals
          const rect = (id: string) => (document.querySelector(`[data-testid="${id}"]`) as unknown as { getBoundingClientRect(): { left: number; right: number; width: number } }).getBoundingClientRect()
          const root = (document as unknown as { documentElement: { scrollWidth: number; clientWidth: number } }).documentElement
          return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, stage: rect('live-stage'), canvas: rect('live-canvas') }
        })
        expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth)
        expect(layout.stage.right).toBeLessThanOrEqual(width)
        expect(layout.canvas.width).toBeGreaterThan(200)
        expect(layout.canvas.left).toBeGreaterThanOrEqual(layout.stage.left - 0.5)
        expect(layout.canvas.right).toBeLessThanOrEqual(layout.stage.right + 0.5)

        if (width === 1280) {
          // Open on a saved photo: browser mode shows it in a new tab.
          const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('capture-open').first().click()])
          await expect.poll(() => tab.url(), { timeout: 10_000 }).toMatch(/^blob:/)
          const size = await tab.evaluate(() => {
            const image = (globalThis as unknown as PageGlobals).document.querySelector('img') as unknown as { naturalWidth: number } | null
            return image?.naturalWidth ?? 0
          })
          expect(size).toBe(640)
        }
        errors.assertClean()
      }, TEST_TIMEOUT_MS)
    }
  })
})
