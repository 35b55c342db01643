/**
 * Settings persist: changed in the Settings tab, they survive a page reload and a restart of
 * the browser-mode server that reads the same settings file.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type RunningApp } from './app'
import { createPageTracker, e2eSkipReason, openPage } from './browser'

const skipReason = e2eSkipReason()
if (skipReason) it.skip(skipReason, () => undefined)

interface ShownSettings {
  preset: string
  blurMode: string
  mirror: boolean
  flash: boolean
}

async function readShownSettings(page: Page): Promise<ShownSettings> {
  await page.getByTestId('tab-settings').click()
  await page.getByTestId('settings-preset').waitFor()
  return {
    preset: await page.getByTestId('settings-preset').inputValue(),
    blurMode: await page.getByTestId('settings-blur-mode').inputValue(),
    mirror: await page.getByTestId('settings-mirror').isChecked(),
    flash: await page.getByTestId('settings-flash').isChecked()
  }
}

describe.skipIf(skipReason)('settings', () => {
  const pages = createPageTracker()
  afterEach(pages.afterEach)
  let dir: string
  let app: RunningApp | null = null

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smilecam-e2e-settings-'))
  })
  afterAll(async () => {
    await app?.close()
    await rm(dir, { recursive: true, force: true })
  })

  // The Audit tab first, so no camera is needed; the Settings tab is reached by clicking.
  const open = async (url: string) => pages.track(await openPage({ camera: { kind: 'none' }, url: `${url}&tab=audit` }))

  it('persist across a page reload and a server restart', async () => {
    app = await startApp({ dir })
    const { page, errors } = await open(app.url)
    const defaults = await readShownSettings(page)
    expect(defaults).toEqual({ preset: 'normal', blurMode: 'person', mirror: true, flash: true })

    await page.getByTestId('settings-preset').selectOption('big')
    await page.getByTestId('settings-blur-mode').selectOption('face')
    await page.getByTestId('settings-mirror').uncheck()
    await page.getByTestId('settings-flash').uncheck()
    const changed: ShownSettings = { preset: 'big', blurMode: 'face', mirror: false, flash: false }
    // Written to the settings file the server was given.
    await expect
      .poll(async () => {
        const stored = JSON.parse(await readFile(app!.settingsFile, 'utf8').catch(() => '{}'))
        return { preset: stored.capture?.preset, blurMode: stored.live?.blurMode, mirror: stored.live?.mirror, flash: stored.capture?.flash }
      })
      .toEqual(changed)

    await page.reload()
    expect(await readShownSettings(page)).toEqual(changed)
    errors.assertClean()

    await app.close()
    app = await startApp({ dir })
    const restarted = await open(app.url)
    expect(await readShownSettings(restarted.page)).toEqual(changed)
    // The preset also moved the smile threshold with it.
    expect(Number(await restarted.page.getByTestId('settings-mar-threshold').inputValue())).toBeGreaterThan(0.09)
    restarted.errors.assertClean()
  })
})
