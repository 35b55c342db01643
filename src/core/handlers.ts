/**
 * createHandlers: every IPC channel implemented by composing the main-side
 * services. The same object serves Electron IPC and the browser-mode server;
 * arguments arrive already validated (src/core/ipc/validate.ts).
 */
import { SmilecamError } from '../shared/errors'
import type { IpcEventChannel, IpcEvents, IpcHandlers, LinkedInStatus } from '../shared/ipc'
import type { RgbaImage, VisionOptions, VisionResult } from '../shared/vision'
import type { AuditService } from './audit/service'
import type { CaptureStore } from './captures/store'
import type { SettingsStore } from './settings/store'
import type { VirtualCameraService } from './vcam/service'

/** The part of VisionEngine (src/engine/engine.ts) the handlers use. */
export interface VideoEngine {
  detectForVideo(frame: RgbaImage, timestampMs: number, overrides?: Partial<VisionOptions>): Promise<VisionResult | null>
}

export interface Dialogs {
  /** Asks the user for a folder; null when cancelled (or when there is no dialog, in browser mode). */
  chooseFolder(): Promise<string | null>
  /** Opens a file in the system viewer; false when there is none (browser mode: the page shows it itself). */
  openPath(path: string): Promise<boolean>
}

/** The LinkedIn sign-in kept by the front end (the Electron partition; browser mode has none). */
export interface LinkedInAccount {
  signOut(): Promise<void>
  status(): Promise<LinkedInStatus>
  signIn(): Promise<LinkedInStatus>
}

export type EmitEvent = <E extends IpcEventChannel>(channel: E, payload: IpcEvents[E]) => void

export interface HandlerDeps {
  engine: VideoEngine
  audit: Pick<AuditService, 'run' | 'image' | 'blur' | 'fix' | 'save'>
  linkedin: LinkedInAccount
  captures: CaptureStore
  settings: SettingsStore
  dialogs: Dialogs
  emit: EmitEvent
  /** Where captures go when the setting is null (~/Pictures/Smilecam). */
  defaultCapturesFolder: string
  vcam: VirtualCameraService
}

export function createHandlers(deps: HandlerDeps): IpcHandlers {
  const { engine, audit, captures, settings, dialogs, emit } = deps

  return {
    'vision:detectForVideo': (frame) =>
      // null = dropped because the engine is busy; the renderer sends its next frame.
      engine.detectForVideo({ width: frame.width, height: frame.height, data: frame.data }, frame.timestampMs, {
        personMask: frame.personMask,
        expression: frame.expression
      }),

    'audit:run': async (source, options) => {
      // The user's saved audit preferences fill whatever the call leaves out.
      const { settings: current } = await settings.load()
      return audit.run(source, { ...current.audit, ...options }, (progress) => emit('audit:progress', progress))
    },
    'audit:image': (reportId, kind) => audit.image(reportId, kind),
    'audit:blur': (reportId, mode, strength) => audit.blur(reportId, mode, strength),
    // Audit outputs go next to the captures, in the folder the user already chose for Smilecam pictures.
    'audit:save': (reportId, kind) => audit.save(reportId, kind, captures.folder()),
    'audit:fix': (reportId, size) => audit.fix(reportId, size),

    'linkedin:signOut': () => deps.linkedin.signOut(),
    'linkedin:status': () => deps.linkedin.status(),
    'linkedin:signIn': () => deps.linkedin.signIn(),

    'captures:save': (capture) => captures.save(capture),
    'captures:list': () => captures.list(),
    'captures:read': (name) => captures.read(name, 'thumbnail'),
    'captures:delete': (name) => captures.delete(name),
    'captures:open': async (name) => ((await dialogs.openPath(captures.pathOf(name))) ? null : captures.read(name, 'full')),
    'captures:chooseFolder': async () => {
      const folder = await dialogs.chooseFolder()
      if (folder === null) return null
      await settings.update({ capture: { folder } })
      captures.setFolder(folder)
      return folder
    },

    'vcam:status': () => deps.vcam.status(),
    'vcam:start': (request) => deps.vcam.start(request),
    'vcam:frame': (frame) => deps.vcam.frame(frame),
    'vcam:stop': () => deps.vcam.stop(),

    'settings:get': () => settings.load(),
    'settings:set': async (patch) => {
      // A new folder only ever comes from the folder dialog (captures:chooseFolder), so the
      // renderer cannot point saves at an arbitrary path; it may reset to null or repeat the current one.
      const folder = patch.capture?.folder
      if (typeof folder === 'string' && folder !== (await settings.load()).settings.capture.folder) {
        throw new SmilecamError('FORBIDDEN', 'Choose the captures folder with the Choose… button.')
      }
      const next = await settings.update(patch)
      captures.setFolder(next.capture.folder ?? deps.defaultCapturesFolder)
      return next
    }
  }
}
