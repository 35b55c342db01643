/**
 * Browser mode: the real services (engine in a forked Node process, audit,
 * captures, settings) behind the loopback API server, serving the built web
 * renderer. Used by `npm run dev:web` and started in-process by e2e tests.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { IpcHandlers } from '../shared/ipc'
import { SmilecamError } from '../shared/errors'
import { createAppServices, fetchPhotoForAudit, type AppServices, type EmitEvent } from '../core'
import { VisionEngine } from '../engine'
import { startApiServer } from './api-server'

export interface BrowserServerOptions {
  /** 0 or absent = a free port. */
  port?: number
  /** Built web renderer (vite.web.config.ts output); default out/web. null = API only. */
  webRoot?: string | null
  /** Default resources/models. */
  modelDir?: string
  /** Test flag: captures folder (also what the folder "dialog" returns). Default ~/Pictures/Smilecam. */
  capturesDir?: string
  /** Test flag: settings file. Default ~/.config/smilecam/browser-settings.json. */
  settingsFile?: string
  /** Test flag: an extra origin treated like LinkedIn (the fixture server). */
  linkedinTestOrigin?: string
  /** Test-only, from code (no command-line flag): origins of local fixture servers downloads may reach. */
  privateOriginsForTests?: readonly string[]
  /** Test flag: a y4m file offered as a virtual camera device (the e2e file sink). */
  vcamFileSink?: string
  /** Fixed token (tests); default 32 random bytes. */
  token?: string
  /** Start loading the models at once (default true); a failure is reported by each call instead. */
  warmUp?: boolean
  /** Replaces the real services (server unit tests). */
  createHandlers?: (emit: EmitEvent) => IpcHandlers | Promise<IpcHandlers>
}

export interface BrowserServer {
  /** `http://127.0.0.1:PORT/?token=TOKEN` */
  url: string
  origin: string
  token: string
  close(): Promise<void>
}

function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url))
}

export function defaultBrowserPaths(): { webRoot: string; modelDir: string; capturesDir: string; settingsFile: string } {
  return {
    webRoot: repoPath('out/web'),
    modelDir: repoPath('resources/models'),
    capturesDir: join(homedir(), 'Pictures', 'Smilecam'),
    settingsFile: join(homedir(), '.config', 'smilecam', 'browser-settings.json')
  }
}

export async function startBrowserServer(options: BrowserServerOptions = {}): Promise<BrowserServer> {
  const defaults = defaultBrowserPaths()
  const modelDir = options.modelDir ?? defaults.modelDir
  const capturesDir = options.capturesDir ?? defaults.capturesDir
  const allowedOrigins = options.linkedinTestOrigin ? [options.linkedinTestOrigin] : undefined
  let services: AppServices | undefined

  const createRealHandlers = async (emit: EmitEvent): Promise<IpcHandlers> => {
    services = await createAppServices({
      // The default spawner forks a Node process for the host.
      // The engine itself retries a failed start (backing off; a missing model until the folder changes).
      startEngine: async () => VisionEngine.open({ modelDir }),
      settingsFile: options.settingsFile ?? defaults.settingsFile,
      defaultCapturesFolder: capturesDir,
      dialogs: {
        // No native dialogs in a browser tab: the folder "chosen" is the captures folder itself
        // only when a test passed one, otherwise the user keeps the current folder.
        chooseFolder: async () => options.capturesDir ?? null,
        openPath: async () => false
      },
      // Headless LinkedIn flow: no browser session to sign out of.
      // LinkedIn sign-in needs the desktop app's own browser window; this server never holds a session.
      linkedin: {
        signOut: async () => undefined,
        status: async () => ({ signedIn: false, canSignIn: false }),
        signIn: async () => {
          throw new SmilecamError('SIGN_IN_REQUIRED', 'Signing in to LinkedIn needs the Smilecam desktop app.')
        }
      },
      fetchUrl: (url, onProgress) => fetchPhotoForAudit(url, { onProgress, allowedOrigins, privateOriginsForTests: options.privateOriginsForTests }),
      emit,
      vcam: options.vcamFileSink ? { fileSink: { path: options.vcamFileSink, name: 'Smilecam test file sink' } } : undefined
    })
    if (options.warmUp !== false) {
      services.warmUp().catch((error: unknown) => {
        console.error(`[smilecam] vision engine did not start: ${error instanceof Error ? error.message : String(error)}`)
      })
    }
    return services.handlers
  }

  const server = await startApiServer({
    webRoot: options.webRoot === undefined ? defaults.webRoot : options.webRoot,
    port: options.port,
    token: options.token,
    createHandlers: options.createHandlers ?? createRealHandlers
  })

  return {
    url: server.url,
    origin: server.origin,
    token: server.token,
    async close() {
      await server.close()
      await services?.close()
    }
  }
}
