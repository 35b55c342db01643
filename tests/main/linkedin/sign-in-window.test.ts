/**
 * The Electron wiring of the in-app LinkedIn window, run in Node against a fake Electron
 * (fake-electron.ts) that loads real pages from the fixture server with a per-partition cookie jar.
 */
import { failure } from '../../core/linkedin/expect-failure'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AuditProgress } from '../../../src/shared/audit'
import { BrowserWindow, resetFakeElectron, session } from './fake-electron'
import { FIXTURE_COOKIE_VALUE, startLinkedInFixtureServer, type LinkedInFixtureServer } from '../../fixtures/linkedin/server'

vi.mock('electron', async () => await import('./fake-electron'))

const { LINKEDIN_PARTITION, createLinkedInSession } = await import('../../../src/main/linkedin/sign-in-window')

let server: LinkedInFixtureServer

beforeAll(async () => {
  server = await startLinkedInFixtureServer({ slowMs: 5_000 })
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  resetFakeElectron()
})

function newSession(extra: Parameters<typeof createLinkedInSession>[0] = {}) {
  // Both fixture origins stand in for LinkedIn hosts (the in-app download fetches LinkedIn hosts only).
  return createLinkedInSession({ allowedOrigins: server.privateOrigins, pollIntervalMs: 30, pageTimeoutMs: 5_000, ...extra })
}

function lastWindow(): BrowserWindow {
  const window = BrowserWindow.instances.at(-1)
  if (!window) throw new Error('no window was opened')
  return window
}

/** The user signs in: LinkedIn sets li_at and lands on the feed. */
function signInWhenShown(window: BrowserWindow) {
  window.once('show', () => {
    session.fromPartition(LINKEDIN_PARTITION).jar.set(server.origin, `li_at=${FIXTURE_COOKIE_VALUE}`)
    void window.webContents.loadURL(`${server.origin}/feed`)
  })
}

describe('createLinkedInSession', () => {
  it('opens a hidden, locked-down window in its own partition and downloads the photo through it', async () => {
    const linkedIn = newSession()
    const steps: AuditProgress[] = []
    const photo = await linkedIn.fetchProfilePhoto(`${server.origin}/in/with-photo`, { onProgress: (p) => steps.push(p) })
    expect(Buffer.from(photo.bytes).equals(Buffer.from(server.photo800))).toBe(true)
    expect(photo.profileUrl).toBe(`${server.origin}/in/with-photo`)
    expect(steps.map((step) => step.step)).toEqual(['fetch', 'download'])

    const window = lastWindow()
    expect(window.options.show).toBe(false)
    expect(window.shownCount).toBe(0)
    expect(window.options.webPreferences).toMatchObject({
      partition: 'persist:linkedin',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false
    })
    expect(window.options.webPreferences).not.toHaveProperty('preload')
    expect(window.webContents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    // The photo came through the LinkedIn session (signed URLs are tied to it).
    const linkedInSession = session.fromPartition(LINKEDIN_PARTITION)
    expect(linkedInSession.fetchedUrls.some((url) => url.includes('/media/photo-800.jpg'))).toBe(true)
    let granted: boolean | undefined
    linkedInSession.permissionRequestHandler?.(null, 'media', (answer) => (granted = answer))
    expect(granted).toBe(false)
  })

  it('shows the window on the authwall, lets the user sign in, then continues on its own', async () => {
    const linkedIn = newSession()
    const steps: string[] = []
    const pending = linkedIn.fetchProfilePhoto(`${server.origin}/in/members-only`, { onProgress: (p) => steps.push(p.step) })
    signInWhenShown(lastWindow())
    const photo = await pending
    expect(photo.bytes.length).toBe(server.photo800.length)
    expect(steps).toEqual(['fetch', 'sign-in', 'fetch', 'download'])
    expect(lastWindow().shownCount).toBe(1)
    expect(lastWindow().visible).toBe(false) // hidden again once the profile is there

    // Signed in now: the next fetch needs no window at all.
    await linkedIn.fetchProfilePhoto(`${server.origin}/in/members-only`, {})
    expect(lastWindow().shownCount).toBe(1)
  })

  it('signs out by clearing the partition: sign-in is needed again', async () => {
    const linkedIn = newSession()
    const first = linkedIn.fetchProfilePhoto(`${server.origin}/in/members-only`, {})
    signInWhenShown(lastWindow())
    await first
    await linkedIn.signOut()
    const linkedInSession = session.fromPartition(LINKEDIN_PARTITION)
    expect(linkedInSession.jar.size).toBe(0)
    expect(linkedInSession.clearedStorage).toBe(1)
    expect(linkedInSession.clearedCache).toBe(1)

    const steps: string[] = []
    const again = linkedIn.fetchProfilePhoto(`${server.origin}/in/members-only`, { onProgress: (p) => steps.push(p.step) })
    signInWhenShown(lastWindow())
    await again
    expect(steps).toContain('sign-in')
  })

  it.each([
    ['no-photo', 'NO_PROFILE_PHOTO'],
    ['blocked', 'BLOCKED'],
    ['missing', 'PROFILE_NOT_FOUND'],
    ['renamed', 'PROFILE_NOT_FOUND'],
    ['not-image', 'RESPONSE_NOT_IMAGE'],
    ['huge-photo', 'RESPONSE_TOO_LARGE']
  ])('/in/%s fails with %s', async (slug, code) => {
    const linkedIn = newSession({ maxBytes: 1024 * 1024 })
    const error = await failure(linkedIn.fetchProfilePhoto(`${server.origin}/in/${slug}`, {}))
    expect(error.code).toBe(code)
    expect(lastWindow().shownCount).toBe(0)
  })

  it('times out a slow page and an unfinished sign-in; a profile without a known photo says so', async () => {
    const slow = await failure(newSession({ pageTimeoutMs: 300 }).fetchProfilePhoto(`${server.origin}/in/slow`, {}))
    expect(slow.code).toBe('TIMEOUT')
    const abandoned = await failure(newSession({ signInTimeoutMs: 300 }).fetchProfilePhoto(`${server.origin}/in/authwall`, {}))
    expect(abandoned).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/Sign-in/) })
    const unknown = await failure(newSession({ pageTimeoutMs: 300 }).fetchProfilePhoto(`${server.origin}/in/unknown-layout`, {}))
    expect(unknown).toMatchObject({ code: 'NO_PROFILE_PHOTO', message: expect.stringMatching(/could not find a profile photo/) })
  })

  it('reports CANCELLED when the user closes the sign-in window or the caller aborts', async () => {
    const closed = newSession().fetchProfilePhoto(`${server.origin}/in/authwall`, {})
    lastWindow().once('show', () => lastWindow().close())
    expect((await failure(closed)).code).toBe('CANCELLED')

    const controller = new AbortController()
    const aborted = newSession().fetchProfilePhoto(`${server.origin}/in/slow`, { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    expect((await failure(aborted)).code).toBe('CANCELLED')
  })

  it('refuses invalid URLs and a second fetch while one runs', async () => {
    const linkedIn = newSession()
    expect((await failure(linkedIn.fetchProfilePhoto('https://example.com/in/x', {}))).code).toBe('INVALID_URL')
    const first = linkedIn.fetchProfilePhoto(`${server.origin}/in/slow`, {})
    expect((await failure(linkedIn.fetchProfilePhoto(`${server.origin}/in/with-photo`, {}))).code).toBe('INVALID_INPUT')
    linkedIn.close()
    expect((await failure(first)).code).toBe('CANCELLED')
  })

  it('blocks redirects that would leave LinkedIn', () => {
    // The window is created lazily; open one with a fetch that does not finish during the test.
    const linkedIn = newSession()
    void linkedIn.fetchProfilePhoto(`${server.origin}/in/slow`, {}).catch(() => undefined)
    let prevented = false
    lastWindow().webContents.emit('will-redirect', { url: 'https://evil.example/', preventDefault: () => (prevented = true) })
    expect(prevented).toBe(true)
    prevented = false
    lastWindow().webContents.emit('will-navigate', { url: `${server.origin}/login`, preventDefault: () => (prevented = true) })
    expect(prevented).toBe(false)
    linkedIn.close()
  })

  it('lets Google and Apple sign-in open as pop-ups in the same locked-down partition, and guards them', () => {
    const linkedIn = newSession()
    void linkedIn.fetchProfilePhoto(`${server.origin}/in/slow`, {}).catch(() => undefined)
    const contents = lastWindow().webContents
    for (const url of ['https://accounts.google.com/o/oauth2/v2/auth?client_id=x', 'https://appleid.apple.com/auth/authorize?client_id=x']) {
      const decision = contents.openHandler?.({ url })
      expect(decision?.action).toBe('allow')
      expect(decision?.overrideBrowserWindowOptions?.webPreferences).toMatchObject({ partition: LINKEDIN_PARTITION, sandbox: true, contextIsolation: true, nodeIntegration: false })
    }
    for (const url of ['http://accounts.google.com/o/oauth2/auth', 'https://evil.example/', 'https://www.linkedin.com/feed']) {
      expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' })
    }
    // The pop-up itself: navigation guarded, no further pop-ups.
    const popup = new BrowserWindow({ webPreferences: { partition: LINKEDIN_PARTITION } })
    contents.emit('did-create-window', popup)
    let prevented = false
    popup.webContents.emit('will-navigate', { url: 'https://evil.example/', preventDefault: () => (prevented = true) })
    expect(prevented).toBe(true)
    expect(popup.webContents.openHandler?.({ url: 'https://accounts.google.com/x' })).toEqual({ action: 'deny' })
    // Google refuses sign-in in a browser calling itself Electron.
    expect(session.fromPartition(LINKEDIN_PARTITION).userAgent).not.toMatch(/Electron|smilecam/)
    expect(session.fromPartition(LINKEDIN_PARTITION).userAgent).toMatch(/Chrome\/140/)
    linkedIn.close()
  })
})
