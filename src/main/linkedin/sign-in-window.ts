/**
 * In-app LinkedIn flow (Electron main process only; thin wiring around sign-in-flow.ts).
 *
 * The profile loads in a hidden BrowserWindow with its own persistent partition. If LinkedIn wants
 * a sign-in, the window is shown and the user signs in themselves (the app never sees the
 * password); when the profile arrives the flow continues on its own, finds the photo with
 * extract.ts and downloads it at once through the same session (photo URLs are signed and expire).
 * Nothing here logs; cookies and headers stay inside the partition.
 */
import { BrowserWindow, session as electronSession, type WebContents } from 'electron'
import { downloadImage, linkedInErrors, networkErrorFromCodes, parseProfileUrl, progressStep, resolveFetchOptions, type AllowedOrigins, type FetchedProfilePhoto, type LinkedInPhotoFetcher, type ProgressListener } from '../../core'
import {
  DEFAULT_SIGN_IN_TIMEOUTS,
  INITIAL_SIGN_IN_STATE,
  decideSignInStep,
  isAllowedNavigation,
  isAllowedPhotoUrl,
  isAllowedPopup,
  nextSignInState,
  phaseTimeoutError,
  phaseTimeoutMs,
  type SignInState,
  type SignInTimeouts,
  type WaitReason
} from './sign-in-flow'
import { SmilecamError } from '../../shared/errors'
import type { LinkedInStatus } from '../../shared/ipc'

/** The only partition LinkedIn pages ever load in; no other window uses it. */
export const LINKEDIN_PARTITION = 'persist:linkedin'

/** Chromium's "navigation aborted" (a redirect or a new navigation replaced the load): not a failure. */
const ERR_ABORTED = -3

export interface LinkedInSessionOptions extends Partial<SignInTimeouts> {
  partition?: string
  parent?: BrowserWindow
  /** Photo download limits. */
  downloadTimeoutMs?: number
  maxBytes?: number
  /** How often the page is looked at while waiting (the signed-in profile renders by script). */
  pollIntervalMs?: number
  /** Test-only origins treated like LinkedIn. */
  allowedOrigins?: AllowedOrigins
}

export interface LinkedInSession extends LinkedInPhotoFetcher {
  /** Clears the partition's cookies, storage and cache ("Sign out of LinkedIn"). */
  signOut(): Promise<void>
  /** Signed in = the partition holds LinkedIn's session cookie (li_at); its value is never read out. */
  status(): Promise<LinkedInStatus>
  /** Shows LinkedIn's sign-in page; resolves once signed in (the window hides) or when the user closes it. */
  signIn(): Promise<LinkedInStatus>
  close(): void
}

const SIGN_IN_URL = 'https://www.linkedin.com/login'

/** How long one read of the page's HTML may take. */
const HTML_READ_TIMEOUT_MS = 5_000

/**
 * The page's current HTML. A script run can stay unanswered when the page navigates meanwhile,
 * so the read gives up after a few seconds and the next look tries again.
 */
async function readPageHtml(contents: WebContents): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const gaveUp = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('page did not answer')), HTML_READ_TIMEOUT_MS)
  })
  try {
    const html: unknown = await Promise.race([contents.executeJavaScript('document.documentElement.outerHTML', false), gaveUp])
    return typeof html === 'string' ? html : ''
  } finally {
    clearTimeout(timer)
  }
}

/** The in-app download runs on Electron's network stack: it may fetch LinkedIn's own photo hosts only. */
function assertPhotoUrl(url: string, allowedOrigins: AllowedOrigins): void {
  if (!isAllowedPhotoUrl(url, allowedOrigins)) {
    throw new SmilecamError('URL_NOT_ALLOWED', 'The profile photo is not on LinkedIn\'s own servers (https://*.licdn.com), so Smilecam did not download it.')
  }
}

export function createLinkedInSession(options: LinkedInSessionOptions = {}): LinkedInSession {
  const partition = options.partition ?? LINKEDIN_PARTITION
  const timeouts: SignInTimeouts = {
    pageTimeoutMs: options.pageTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUTS.pageTimeoutMs,
    signInTimeoutMs: options.signInTimeoutMs ?? DEFAULT_SIGN_IN_TIMEOUTS.signInTimeoutMs
  }
  const pollIntervalMs = options.pollIntervalMs ?? 750
  const linkedInSession = electronSession.fromPartition(partition)
  // LinkedIn pages get no camera, microphone, notifications or anything else.
  linkedInSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  linkedInSession.setPermissionCheckHandler(() => false)

  // Google refuses to sign in inside a browser that names itself Electron; the LinkedIn partition
  // presents itself as the Chromium it is.
  linkedInSession.setUserAgent(linkedInSession.getUserAgent().replace(/\s(?:Electron|smilecam)\/\S+/gi, ''))

  let window: BrowserWindow | null = null
  let busy = false

  const webPreferences = {
    partition,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false
  } as const

  /** The same rules for the LinkedIn window and the Google/Apple sign-in pop-ups it opens. */
  function guardContents(contents: WebContents, parent: BrowserWindow, allowPopups: boolean): void {
    contents.setWindowOpenHandler(({ url }) =>
      allowPopups && isAllowedPopup(url)
        ? { action: 'allow', overrideBrowserWindowOptions: { parent, width: 520, height: 720, autoHideMenuBar: true, webPreferences } }
        : { action: 'deny' }
    )
    const guard = (details: { url: string; preventDefault(): void }) => {
      if (!isAllowedNavigation(details.url, options.allowedOrigins)) details.preventDefault()
    }
    contents.on('will-navigate', guard)
    contents.on('will-redirect', guard)
    contents.on('will-attach-webview', (event) => event.preventDefault())
    // A sign-in pop-up opens no further windows of its own.
    contents.on('did-create-window', (popup) => guardContents(popup.webContents, popup, false))
  }

  function openWindow(): BrowserWindow {
    const created = new BrowserWindow({
      show: false,
      width: 1024,
      height: 800,
      title: 'Sign in to LinkedIn',
      autoHideMenuBar: true,
      parent: options.parent,
      webPreferences
    })
    guardContents(created.webContents, created, true)
    created.on('closed', () => {
      if (window === created) window = null
    })
    return created
  }

  /** Loads the profile, shows the window for sign-in when needed, resolves with the photo URL. */
  function waitForPhotoUrl(profileUrl: string, onProgress?: ProgressListener, signal?: AbortSignal): Promise<string> {
    const win = (window ??= openWindow())
    const contents = win.webContents
    return new Promise<string>((resolve, reject) => {
      let state: SignInState = INITIAL_SIGN_IN_STATE
      let lastStatus: number | undefined
      let lastWait: WaitReason | undefined
      let settled = false
      let looking = false
      let phaseTimer: NodeJS.Timeout | undefined

      const armPhaseTimer = () => {
        clearTimeout(phaseTimer)
        const phase = state.phase
        phaseTimer = setTimeout(() => finish(phaseTimeoutError(phase, timeouts, lastWait)), phaseTimeoutMs(phase, timeouts))
      }
      const onNavigate = (_event: unknown, _url: string, httpStatus: number) => {
        lastStatus = httpStatus
      }
      const onFailLoad = (_event: unknown, code: number, description: string, url: string, isMainFrame: boolean) => {
        if (!isMainFrame || code === ERR_ABORTED) return
        finish(networkErrorFromCodes(description, url, 'Loading the LinkedIn profile', timeouts.pageTimeoutMs))
      }
      const onClosed = () => finish(linkedInErrors.signInWindowClosed())
      const onAbort = () => finish(linkedInErrors.cancelled())
      const poll = setInterval(() => void lookAtPage(), pollIntervalMs)

      function finish(error: SmilecamError | null, photoUrl?: string) {
        if (settled) return
        settled = true
        clearTimeout(phaseTimer)
        clearInterval(poll)
        signal?.removeEventListener('abort', onAbort)
        if (!win.isDestroyed()) {
          contents.off('did-navigate', onNavigate)
          contents.off('did-fail-load', onFailLoad)
          contents.off('did-finish-load', lookAtPage)
          win.off('closed', onClosed)
          win.hide()
        }
        if (error) reject(error)
        else resolve(photoUrl as string)
      }

      async function lookAtPage() {
        if (settled || looking || win.isDestroyed() || contents.isLoadingMainFrame()) return
        looking = true
        try {
          const url = contents.getURL()
          const html = await readPageHtml(contents)
          if (settled) return
          const decision = decideSignInStep(
            state,
            { url, html, httpStatus: lastStatus },
            profileUrl,
            options.allowedOrigins
          )
          lastWait = decision.action === 'wait' ? decision.reason : undefined
          const previousPhase = state.phase
          state = nextSignInState(state, decision)
          if (state.phase !== previousPhase) armPhaseTimer()
          switch (decision.action) {
            case 'wait':
              break
            case 'show-sign-in':
              onProgress?.(progressStep('sign-in', 'Sign in to LinkedIn in the window that opened; Smilecam continues on its own.'))
              win.show()
              win.focus()
              break
            case 'load-profile':
              lastStatus = undefined
              armPhaseTimer()
              onProgress?.(progressStep('fetch', 'Signed in; opening the LinkedIn profile…'))
              contents.loadURL(profileUrl).catch(() => undefined) // failures arrive as did-fail-load
              break
            case 'download':
              finish(null, decision.photoUrl)
              break
            case 'fail':
              finish(decision.error)
              break
          }
        } catch {
          // The page navigated while we read it; the next look sees the new page.
        } finally {
          looking = false
        }
      }

      if (signal?.aborted) return onAbort()
      signal?.addEventListener('abort', onAbort, { once: true })
      contents.on('did-navigate', onNavigate)
      contents.on('did-fail-load', onFailLoad)
      contents.on('did-finish-load', lookAtPage)
      win.once('closed', onClosed)
      armPhaseTimer()
      onProgress?.(progressStep('fetch', 'Opening the LinkedIn profile…'))
      contents.loadURL(profileUrl).catch(() => undefined)
    })
  }

  async function fetchProfilePhoto(
    profileUrl: string,
    { onProgress, signal }: { onProgress?: ProgressListener; signal?: AbortSignal } = {}
  ): Promise<FetchedProfilePhoto> {
    const profile = parseProfileUrl(profileUrl, options.allowedOrigins)
    if (busy) throw linkedInErrors.busy()
    busy = true
    try {
      const photoUrl = await waitForPhotoUrl(profile.url, onProgress, signal)
      assertPhotoUrl(photoUrl, options.allowedOrigins)
      onProgress?.(progressStep('download', 'Downloading the profile photo…'))
      const image = await downloadImage(
        photoUrl,
        resolveFetchOptions({
          // Same session as the page, so LinkedIn's media CDN sees the signed-in browser.
          fetchImpl: (url, init) => linkedInSession.fetch(url, init),
          redirect: 'follow',
          timeoutMs: options.downloadTimeoutMs,
          maxBytes: options.maxBytes,
          signal
        })
      )
      assertPhotoUrl(image.url, options.allowedOrigins) // where Electron's redirects ended up
      return { bytes: image.bytes, mimeType: image.mimeType, photoUrl: image.url, profileUrl: profile.url }
    } finally {
      busy = false
    }
  }

  async function status(): Promise<LinkedInStatus> {
    const cookies = await linkedInSession.cookies.get({ name: 'li_at' })
    return { signedIn: cookies.length > 0, canSignIn: true }
  }

  async function signIn(): Promise<LinkedInStatus> {
    if (busy) throw linkedInErrors.busy()
    if ((await status()).signedIn) return status()
    busy = true
    const win = (window ??= openWindow())
    try {
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          void status().then((now) => now.signedIn && done(), () => undefined)
        }, pollIntervalMs)
        const timer = setTimeout(() => done(), timeouts.signInTimeoutMs)
        function done(): void {
          clearInterval(poll)
          clearTimeout(timer)
          win.off('closed', done)
          if (!win.isDestroyed()) win.hide()
          resolve()
        }
        win.once('closed', done)
        win.show()
        win.focus()
        win.webContents.loadURL(SIGN_IN_URL).catch(() => undefined)
      })
    } finally {
      busy = false
    }
    return status()
  }

  return {
    fetchProfilePhoto,
    status,
    signIn,
    async signOut() {
      window?.destroy()
      window = null
      await linkedInSession.clearStorageData()
      await linkedInSession.clearCache()
      await linkedInSession.clearAuthCache()
    },
    close() {
      window?.destroy()
      window = null
    }
  }
}
