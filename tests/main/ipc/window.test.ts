import { EventEmitter } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import type { Session, WebContents } from 'electron'

const built: unknown[] = []
vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents = Object.assign(new EventEmitter(), { setWindowOpenHandler: () => undefined })
    constructor(options: unknown) {
      built.push(options)
    }
    once(): void {}
  }
}))

const { createMainWindow, installSessionSecurity, lockDownContents } = await import('../../../src/main/window')

describe('createMainWindow', () => {
  it('builds the window sandboxed, isolated, and not throttled in the background (the virtual camera keeps its frame rate)', () => {
    createMainWindow({ preloadPath: '/app/preload.mjs', isOurRenderer: () => true })
    expect(built).toHaveLength(1)
    expect(built[0]).toMatchObject({
      webPreferences: {
        preload: '/app/preload.mjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        backgroundThrottling: false
      }
    })
  })
})

type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void
type CheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean

function fakeSession() {
  const recorded: { request?: RequestHandler; check?: CheckHandler; device?: () => boolean; headers?: (details: unknown, cb: (r: unknown) => void) => void } = {}
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler) => (recorded.request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => (recorded.check = handler),
    setDevicePermissionHandler: (handler: () => boolean) => (recorded.device = handler),
    webRequest: { onHeadersReceived: (handler: typeof recorded.headers) => (recorded.headers = handler) }
  }
  return { session: session as unknown as Session, recorded }
}

const ours = (url: string | undefined) => url === 'file:///app/index.html'

describe('installSessionSecurity', () => {
  it('answers camera requests for our page only, and denies the rest', () => {
    const { session, recorded } = fakeSession()
    installSessionSecurity(session, ours, false)
    const answer = (permission: string, details: unknown) => {
      let granted: boolean | undefined
      recorded.request!({}, permission, (g) => (granted = g), details)
      return granted
    }
    expect(answer('media', { requestingUrl: 'file:///app/index.html', mediaTypes: ['video'] })).toBe(true)
    expect(answer('media', { requestingUrl: 'file:///app/index.html', mediaTypes: ['video', 'audio'] })).toBe(false)
    expect(answer('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] })).toBe(false)
    expect(answer('geolocation', { requestingUrl: 'file:///app/index.html' })).toBe(false)
    expect(recorded.check!(null, 'media', 'file://', { requestingUrl: 'file:///app/index.html', mediaType: 'video' })).toBe(true)
    expect(recorded.check!({ getURL: () => 'file:///app/index.html' }, 'media', 'file://', { mediaType: 'video' })).toBe(true)
    expect(recorded.check!(null, 'notifications', 'file://', { requestingUrl: 'file:///app/index.html' })).toBe(false)
    expect(recorded.device!()).toBe(false)
    expect(recorded.headers).toBeUndefined()
  })

  it('adds the CSP header to responses when asked', () => {
    const { session, recorded } = fakeSession()
    installSessionSecurity(session, ours, true)
    let result: { responseHeaders: Record<string, string[]> } | undefined
    recorded.headers!({ responseHeaders: { 'X-A': ['1'] } }, (r) => (result = r as typeof result))
    expect(result!.responseHeaders['X-A']).toEqual(['1'])
    expect(result!.responseHeaders['Content-Security-Policy'][0]).toContain("script-src 'self'")
  })
})

describe('lockDownContents', () => {
  it('denies pop-ups and webviews and blocks navigation away from our page', () => {
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() })
    lockDownContents(contents as unknown as WebContents, ours)
    const openHandler = contents.setWindowOpenHandler.mock.calls[0][0] as () => unknown
    expect(openHandler()).toEqual({ action: 'deny' })
    const away = { preventDefault: vi.fn() }
    contents.emit('will-navigate', away, 'https://evil.example/')
    const reload = { preventDefault: vi.fn() }
    contents.emit('will-navigate', reload, 'file:///app/index.html')
    const redirect = { preventDefault: vi.fn() }
    contents.emit('will-redirect', redirect, 'https://evil.example/')
    const webview = { preventDefault: vi.fn() }
    contents.emit('will-attach-webview', webview)
    expect(away.preventDefault).toHaveBeenCalled()
    expect(reload.preventDefault).not.toHaveBeenCalled()
    expect(redirect.preventDefault).toHaveBeenCalled()
    expect(webview.preventDefault).toHaveBeenCalled()
  })
})
