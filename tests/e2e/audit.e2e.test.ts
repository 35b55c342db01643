/**
 * Audit tab end to end: a photo file, a file that is not an image, and LinkedIn profile URLs
 * served by the local fixture server (allowed as the test-only LinkedIn origin).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { linkedInErrors } from '../../src/core/linkedin/messages'
import { startLinkedInFixtureServer, type LinkedInFixtureServer } from '../fixtures/linkedin/server'
import { startApp, type RunningApp } from './app'
import { createPageTracker, e2eSkipReason, openPage } from './browser'
import { faceApiDemoDir } from './clips'

const skipReason = e2eSkipReason()
if (skipReason) it.skip(skipReason, () => undefined)

const VERDICTS = ['verdict-blur', 'verdict-face-size', 'verdict-sentiment', 'verdict-teeth']
/** Audits run the full engine on a 2-core machine shared with other work. */
const AUDIT_TIMEOUT_MS = 60_000

describe.skipIf(skipReason)('audit tab', () => {
  const pages = createPageTracker()
  afterEach(pages.afterEach)
  let fixture: LinkedInFixtureServer
  let app: RunningApp
  let page: Page
  let filesDir: string

  beforeAll(async () => {
    filesDir = await mkdtemp(join(tmpdir(), 'smilecam-e2e-audit-'))
    // A head-and-shoulders crop of the smiling woman in the package's demo photo.
    await sharp(join(faceApiDemoDir(), 'sample3.jpg'))
      .extract({ left: 1330, top: 180, width: 560, height: 560 })
      .jpeg({ quality: 90 })
      .toFile(join(filesDir, 'portrait.jpg'))
    await writeFile(join(filesDir, 'notes.txt'), 'These are notes, not a photo.\n')
    fixture = await startLinkedInFixtureServer()
    app = await startApp({ linkedinTestOrigin: fixture.origin, privateOriginsForTests: fixture.privateOrigins })
    const opened = await openPage({
      camera: { kind: 'none' },
      // A failed audit is an answer (ok: false), not an HTTP error: the console stays clean.
      url: `${app.url}&tab=audit`
    })
    pages.track(opened, 'shared')
    page = opened.page
  })

  afterAll(async () => {
    await pages.closeAll()
    await app?.close()
    await fixture?.close()
    if (filesDir) await rm(filesDir, { recursive: true, force: true })
  })

  async function shownReportId(): Promise<string | null> {
    const report = page.getByTestId('audit-report')
    return (await report.count()) === 1 ? report.getAttribute('data-report-id') : null
  }

  /** Waits for a report other than `previousId` (an earlier report stays on screen until then). */
  async function expectFourVerdicts(previousId: string | null, source: RegExp | string): Promise<void> {
    await expect
      .poll(async () => {
        const id = await shownReportId()
        return id !== null && id !== previousId
      }, { timeout: AUDIT_TIMEOUT_MS })
      .toBe(true)
    for (const id of VERDICTS) {
      await expect.poll(() => page.getByTestId(id).isVisible()).toBe(true)
      expect((await page.getByTestId(id).innerText()).trim().length).toBeGreaterThan(10)
    }
    expect(await page.getByTestId('audit-error').count()).toBe(0)
    const shownSource = await page.locator('[data-testid="audit-report"] .source').innerText()
    if (typeof source === 'string') expect(shownSource).toContain(source)
    else expect(shownSource).toMatch(source)
  }

  async function auditUrl(url: string): Promise<void> {
    await page.getByTestId('audit-url-input').fill(url)
    await page.getByTestId('audit-url-submit').click()
  }

  async function errorBannerText(): Promise<string> {
    await expect.poll(() => page.getByTestId('audit-error').count(), { timeout: AUDIT_TIMEOUT_MS }).toBe(1)
    return (await page.getByTestId('audit-error').innerText()).trim()
  }

  async function dismissError(): Promise<void> {
    await page.locator('[data-testid="audit-error"] button[aria-label="Dismiss"]').click()
    await expect.poll(() => page.getByTestId('audit-error').count()).toBe(0)
  }

  it('audits an uploaded photo: four verdicts', async () => {
    const previous = await shownReportId()
    await page.getByTestId('audit-file-input').setInputFiles(join(filesDir, 'portrait.jpg'))
    await expectFourVerdicts(previous, 'portrait.jpg')
    expect(await page.getByTestId('audit-face-count').innerText()).toMatch(/face/)
    pages.current()!.errors.assertClean()
  })

  it('shows an error banner for a file that is not an image', async () => {
    await page.getByTestId('audit-file-input').setInputFiles(join(filesDir, 'notes.txt'))
    const message = await errorBannerText()
    expect(message).toContain('notes.txt')
    expect(message).toMatch(/not an image/i)
    await dismissError()
    pages.current()!.errors.assertClean()
  })

  it('audits a LinkedIn profile URL (fixture): four verdicts', async () => {
    const previous = await shownReportId()
    await auditUrl(`${fixture.origin}/in/with-photo`)
    await expectFourVerdicts(previous, /with-photo|linkedin|127\.0\.0\.1/i)
    // The photo came through the page, from the media host.
    expect(fixture.requests.some((request) => request.listener === 'media' && request.path.startsWith('/media/'))).toBe(true)
    pages.current()!.errors.assertClean()
  })

  it('shows a message of its own for each LinkedIn failure', async () => {
    const cases = [
      { slug: 'missing', expected: /no profile at/i },
      { slug: 'blocked', expected: linkedInErrors.blocked(999).message },
      { slug: 'no-photo', expected: linkedInErrors.noProfilePhoto().message },
      { slug: 'authwall', expected: linkedInErrors.signInRequired().message }
    ]
    const shown = new Set<string>()
    for (const { slug, expected } of cases) {
      await auditUrl(`${fixture.origin}/in/${slug}`)
      const message = await errorBannerText()
      if (typeof expected === 'string') expect(message, slug).toContain(expected)
      else expect(message, slug).toMatch(expected)
      shown.add(message)
      await dismissError()
    }
    expect(shown.size).toBe(cases.length)
    pages.current()!.errors.assertClean()
  })
})
