/** Camera failures in the Live tab: a denied permission and a machine without a camera. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from './app'
import { createPageTracker, e2eSkipReason, openPage, type CameraMode } from './browser'
import { buildClip } from './clips'

const skipReason = e2eSkipReason()
if (skipReason) it.skip(skipReason, () => undefined)

describe.skipIf(skipReason)('camera errors', () => {
  const pages = createPageTracker()
  afterEach(pages.afterEach)
  let app: RunningApp
  let clipPath: string

  beforeAll(async () => {
    clipPath = (await buildClip('neutral')).path
    app = await startApp({ settings: { capture: { autoCapture: false } } })
  })
  afterAll(async () => app?.close())

  async function cameraError(camera: CameraMode): Promise<{ code: string | null; message: string }> {
    const { page, errors } = pages.track(await openPage({ camera, url: app.url }))
    const banner = page.getByTestId('camera-error')
    await banner.waitFor({ timeout: 20_000 })
    const result = { code: await banner.getAttribute('data-code'), message: (await banner.innerText()).trim() }
    expect(await page.getByTestId('camera-retry').isVisible()).toBe(true)
    errors.assertClean()
    return result
  }

  it('says so when camera permission is denied', async () => {
    // A fake camera exists, but headless Chromium dismisses the permission prompt: NotAllowedError.
    const shown = await cameraError({ kind: 'denied', clipPath })
    expect(shown.code).toBe('CAMERA_DENIED')
    expect(shown.message).toMatch(/denied/i)
  })

  it('says so when there is no camera', async () => {
    // No fake device and (in CI) no real one: NotFoundError.
    const shown = await cameraError({ kind: 'none' })
    expect(shown.code).toBe('NO_CAMERA')
    expect(shown.message).toMatch(/no camera/i)
  })
})
