/**
 * Electron main process: lifecycle, the main window, security handlers, IPC,
 * and the services (engine in a utilityProcess, audit, captures, settings).
 * Logic lives in pure, tested modules; this file only wires Electron to them.
 */
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, protocol, session, shell, utilityProcess } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SmilecamError } from '../shared/errors'
import { createAppServices, fetchPhotoForAudit, type AppServices, type Dialogs, type EmitEvent } from '../core'
import { registerFramePort } from './frame-port'
import { registerIpcHandlers } from './ipc/register'
import { isTrustedRendererUrl, type RendererLocation } from './ipc/sender'
import { createLinkedInSession } from './linkedin/sign-in-window'
import { builtPaths, resolveModelDir } from './paths'
import { RENDERER_PAGE_URL, RENDERER_SCHEME, RENDERER_SCHEME_PRIVILEGES, rendererResponse } from './renderer-protocol'
import { VisionEngine } from '../engine'
import { utilityHostSpawner } from './utility-host'
import { createMainWindow, installSessionSecurity, type RendererCheck } from './window'

function electronDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  return {
    async chooseFolder() {
      const window = getWindow()
      const options: Electron.OpenDialogOptions = {
        title: 'Choose the folder for Smilecam pictures',
        properties: ['openDirectory', 'createDirectory']
      }
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]
    },
    async openPath(path) {
      const problem = await shell.openPath(path)
      if (problem) throw new SmilecamError('INTERNAL', `The picture could not be opened: ${problem}`)
      return true
    }
  }
}

async function startApp(): Promise<void> {
  const mainDir = dirname(fileURLToPath(import.meta.url))
  const built = builtPaths(mainDir)
  const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
  const location: RendererLocation = { devServerUrl }
  // The packaged page comes from app://smilecam/, so its responses carry the CSP header.
  const rendererRoot = dirname(built.rendererIndex)
  session.defaultSession.protocol.handle(RENDERER_SCHEME, (request) => rendererResponse(rendererRoot, request))
  const isOurRenderer: RendererCheck = (url) => isTrustedRendererUrl(url, location)

  // In development the Vite dev server needs inline HMR code; the packaged page gets the header too.
  installSessionSecurity(session.defaultSession, isOurRenderer, app.isPackaged)

  const window = createMainWindow({ preloadPath: built.preload, isOurRenderer })
  let mainWindow: BrowserWindow | null = window
  window.on('closed', () => {
    mainWindow = null
  })

  const linkedin = createLinkedInSession({ parent: window })
  const emit: EmitEvent = (channel, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload)
  }
  const modelDir = resolveModelDir({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() })

  // The engine itself retries a failed start (backing off; a missing model until the folder changes).
  const engine = VisionEngine.open({ modelDir, spawnHost: utilityHostSpawner(utilityProcess.fork, built.visionHost) })
  const services: AppServices = await createAppServices({
    startEngine: async () => engine,
    settingsFile: join(app.getPath('userData'), 'settings.json'),
    defaultCapturesFolder: join(app.getPath('pictures'), 'Smilecam'),
    dialogs: electronDialogs(() => mainWindow),
    linkedin,
    fetchUrl: (url, onProgress) => fetchPhotoForAudit(url, { onProgress, inApp: linkedin }),
    emit
  })
  const unregister = registerIpcHandlers(ipcMain, services.handlers, (url) => isOurRenderer(url))
  // Frames go renderer -> engine host on a MessagePort; main only hands out the two ends.
  const unregisterFramePort = registerFramePort(ipcMain, {
    createChannel: () => new MessageChannelMain(),
    attachToHost: (port) => engine.attachPort(port),
    isTrustedSender: (url) => isOurRenderer(url),
    logError: (message) => console.error(`[smilecam] ${message}`)
  })
  // Models load while the page does; a start failure reaches the user through the first call.
  services.warmUp().catch((error: unknown) => console.error(`[smilecam] vision engine did not start: ${SmilecamError.from(error).message}`))

  let quitting = false
  app.on('before-quit', (event) => {
    if (quitting) return
    quitting = true
    event.preventDefault()
    unregister()
    unregisterFramePort()
    linkedin.close()
    services.close().finally(() => app.quit())
  })

  if (devServerUrl) await window.loadURL(devServerUrl)
  else await window.loadURL(RENDERER_PAGE_URL)
}

// Before the app is ready: app:// is a standard, secure origin like https.
protocol.registerSchemesAsPrivileged([{ scheme: RENDERER_SCHEME, privileges: RENDERER_SCHEME_PRIVILEGES }])

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows()
    if (window) {
      if (window.isMinimized()) window.restore()
      window.focus()
    }
  })
  // One window; closing it ends the app on every platform (the engine process goes with it).
  app.on('window-all-closed', () => app.quit())
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
  app
    .whenReady()
    .then(startApp)
    .catch((error: unknown) => {
      dialog.showErrorBox('Smilecam could not start', SmilecamError.from(error).message)
      app.exit(1)
    })
}
