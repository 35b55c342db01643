/**
 * Composes the main-side services into IPC handlers. Shared by the Electron
 * main process and the browser-mode server; everything OS-specific (paths,
 * dialogs, how the engine host is spawned, how URLs are fetched) comes in as
 * parameters.
 */
import type { IpcHandlers } from '../shared/ipc'
import { createAuditService, type AuditServiceDeps } from './audit/service'
import { createCaptureStore } from './captures/store'
import { createEngineHandle, type EngineLike } from './engine-handle'
import { createHandlers, type Dialogs, type EmitEvent, type LinkedInAccount } from './handlers'
import { createSettingsStore } from './settings/store'
import { createVirtualCameraService, type VirtualCameraDeps } from './vcam/service'

export interface AppServicesOptions {
  /** Starts the vision engine (VisionEngine.create with the right spawner and model folder). */
  startEngine: () => Promise<EngineLike>
  settingsFile: string
  /** ~/Pictures/Smilecam, used while the capture folder setting is null. */
  defaultCapturesFolder: string
  dialogs: Dialogs
  linkedin: LinkedInAccount
  /** Downloads URL sources for the audit (LinkedIn profile or image URL). */
  fetchUrl: AuditServiceDeps['fetchUrl']
  emit: EmitEvent
  /** How the virtual camera finds devices and starts ffmpeg (defaults: sysfs and Debian's ffmpeg). */
  vcam?: Omit<VirtualCameraDeps, 'onStopped'>
}

export interface AppServices {
  handlers: IpcHandlers
  /** Starts model loading in the background; resolves when ready or rejects with the start error. */
  warmUp(): Promise<void>
  close(): Promise<void>
}

export async function createAppServices(options: AppServicesOptions): Promise<AppServices> {
  const settings = createSettingsStore({ file: options.settingsFile })
  const loaded = await settings.load()
  const captures = createCaptureStore({ folder: loaded.settings.capture.folder ?? options.defaultCapturesFolder })
  const engine = createEngineHandle(options.startEngine)
  const audit = createAuditService({ engine, fetchUrl: options.fetchUrl })
  const vcam = createVirtualCameraService({ ...options.vcam, onStopped: (error) => options.emit('vcam:stopped', error) })
  const handlers = createHandlers({
    engine,
    audit,
    linkedin: options.linkedin,
    captures,
    settings,
    dialogs: options.dialogs,
    emit: options.emit,
    defaultCapturesFolder: options.defaultCapturesFolder,
    vcam
  })
  return {
    handlers,
    warmUp: () => engine.warmUp(),
    async close() {
      audit.close()
      await vcam.close()
      await engine.close()
    }
  }
}
