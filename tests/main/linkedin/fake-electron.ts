/**
 * A small stand-in for the parts of Electron the LinkedIn window uses, so its wiring runs in Node.
 * Pages load over real HTTP from the fixture server with a per-partition cookie jar; redirects
 * emit `will-redirect` (which the code under test may cancel) and the final page `did-navigate`
 * with its status, then `did-finish-load`.
 */
import { EventEmitter } from 'node:events'

export class FakeSession {
  /** Cookies by origin, as `name=value` strings. */
  readonly jar = new Map<string, string>()
  readonly fetchedUrls: string[] = []
  clearedStorage = 0
  clearedCache = 0
  permissionRequestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null
  permissionCheckHandler: (() => boolean) | null = null

  userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) smilecam/0.1.0 Chrome/140.0.0.0 Electron/38.0.0 Safari/537.36'

  constructor(readonly partition: string) {}

  getUserAgent() {
    return this.userAgent
  }
  setUserAgent(userAgent: string) {
    this.userAgent = userAgent
  }

  headersFor(url: string): Record<string, string> {
    const cookie = this.jar.get(new URL(url).origin)
    return cookie ? { cookie } : {}
  }

  fetch(url: string, init: RequestInit = {}): Promise<Response> {
    this.fetchedUrls.push(url)
    return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...this.headersFor(url) } })
  }

  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']) {
    this.permissionRequestHandler = handler
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']) {
    this.permissionCheckHandler = handler
  }
  async clearStorageData() {
    this.clearedStorage++
    this.jar.clear()
  }
  async clearCache() {
    this.clearedCache++
  }
  async clearAuthCache() {}
}

const sessions = new Map<string, FakeSession>()

export const session = {
  fromPartition(partition: string): FakeSession {
    let found = sessions.get(partition)
    if (!found) sessions.set(partition, (found = new FakeSession(partition)))
    return found
  }
}

export function resetFakeElectron(): void {
  sessions.clear()
  BrowserWindow.instances.length = 0
}

class FakeWebContents extends EventEmitter {
  url = 'about:blank'
  html = ''
  loading = false
  openHandler: ((details: { url: string }) => { action: string; overrideBrowserWindowOptions?: FakeWindowOptions & Record<string, unknown> }) | null = null
  private generation = 0

  constructor(private readonly ses: FakeSession) {
    super()
  }

  setWindowOpenHandler(handler: NonNullable<FakeWebContents['openHandler']>) {
    this.openHandler = handler
  }
  isLoadingMainFrame() {
    return this.loading
  }
  getURL() {
    return this.url
  }
  async executeJavaScript(code: string): Promise<unknown> {
    if (code !== 'document.documentElement.outerHTML') throw new Error(`unexpected script: ${code}`)
    return this.html
  }

  async loadURL(start: string): Promise<void> {
    const generation = ++this.generation
    this.loading = true
    let url = start
    try {
      for (let hop = 0; hop < 20; hop++) {
        const response = await fetch(url, { redirect: 'manual', headers: this.ses.headersFor(url) })
        if (generation !== this.generation) return // a newer navigation replaced this one
        const location = response.headers.get('location')
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel()
          const next = new URL(location, url).href
          let prevented = false
          this.emit('will-redirect', { url: next, preventDefault: () => (prevented = true) }, next)
          if (prevented) return
          url = next
          continue
        }
        this.html = await response.text()
        this.url = url
        this.loading = false
        this.emit('did-navigate', {}, url, response.status, response.statusText)
        this.emit('did-finish-load', {})
        return
      }
    } catch {
      if (generation !== this.generation) return
      this.loading = false
      this.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', url, true)
    }
  }
}

export interface FakeWindowOptions {
  show?: boolean
  webPreferences?: Record<string, unknown>
}

export class BrowserWindow extends EventEmitter {
  static readonly instances: BrowserWindow[] = []
  readonly webContents: FakeWebContents
  visible: boolean
  destroyed = false
  shownCount = 0

  constructor(readonly options: FakeWindowOptions) {
    super()
    this.visible = options.show ?? true
    this.webContents = new FakeWebContents(session.fromPartition(String(options.webPreferences?.partition ?? '')))
    BrowserWindow.instances.push(this)
  }

  show() {
    this.visible = true
    this.shownCount++
    this.emit('show')
  }
  hide() {
    this.visible = false
  }
  focus() {}
  isDestroyed() {
    return this.destroyed
  }
  destroy() {
    if (this.destroyed) return
    this.destroyed = true
    this.visible = false
    this.emit('closed')
  }
  /** What the user does with the close button. */
  close() {
    this.destroy()
  }
}
