/**
 * The one main window and the session rules around it (Electron wiring only;
 * the decisions are the pure functions in security.ts and ipc/sender.ts).
 */
import { BrowserWindow, type BrowserWindowConstructorOptions, type Session, type WebContents } from 'electron'
import { CONTENT_SECURITY_POLICY_HEADER } from '../shared/csp'
import { isNavigationAllowed, isPermissionGranted } from './security'

export type RendererCheck = (url: string | undefined) => boolean

export interface MainWindowOptions {
  preloadPath: string
  isOurRenderer: RendererCheck
}

/** Camera for our page only, nothing else for anyone; CSP header on every response when asked. */
export function installSessionSecurity(session: Session, isOurRenderer: RendererCheck, cspHeader: boolean): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined
    callback(isPermissionGranted(permission, { requestingUrl: details.requestingUrl, mediaTypes }, isOurRenderer))
  })
  session.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionGranted(
      permission,
      { requestingUrl: details.requestingUrl ?? contents?.getURL(), mediaType: details.mediaType },
      isOurRenderer
    )
  )
  session.setDevicePermissionHandler(() => false)
  if (cspHeader) {
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY_HEADER] }
      })
    })
  }
}

/** No pop-ups, no webviews, no navigation away from our page. */
export function lockDownContents(contents: WebContents, isOurRenderer: RendererCheck): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-attach-webview', (event) => event.preventDefault())
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (!isNavigationAllowed(url, isOurRenderer)) event.preventDefault()
  }
  contents.on('will-navigate', guard)
  contents.on('will-redirect', guard)
}

/** The main window's options (pure, so the security and background settings are tested as built). */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 880,
    minHeight: 600,
    show: false,
    title: 'Smilecam',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // The virtual camera is fed from this page: a minimised or hidden window must keep its full
      // frame rate (Chromium otherwise throttles timers and animation frames of hidden pages).
      backgroundThrottling: false
    }
  }
}

export function createMainWindow({ preloadPath, isOurRenderer }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath))
  lockDownContents(window.webContents, isOurRenderer)
  window.once('ready-to-show', () => window.show())
  return window
}
