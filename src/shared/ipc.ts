/**
 * The one contract for every call between the renderer and the main process
 * (or the browser-mode server). Channels are named `domain:verb`.
 */
import type { AuditOptions, AuditProgress, AuditSource, BlurMode, EncodedImage, FixReport, PhotoReport } from './audit'
import type { Settings, SettingsLoadResult, SettingsPatch } from './settings'
import type { VisionOptions, VisionResult } from './vision'

/** A downscaled RGBA video frame sent for live analysis. */
export interface VideoFrameRequest {
  width: number
  height: number
  /** RGBA bytes, width * height * 4 long. */
  data: Uint8Array
  timestampMs: number
  /** Per-frame stage switches (the rest of the options come from vision:setOptions). */
  personMask: boolean
  expression: boolean
}

export interface CaptureInfo {
  /** File name inside the captures folder. */
  name: string
  createdMs: number
  width: number
  height: number
}

export interface CaptureRequest {
  /** Encoded JPEG or PNG bytes of the full-resolution frame. */
  data: Uint8Array
  mimeType: 'image/jpeg' | 'image/png'
}

/** `fixed` is the last `audit:fix` result of that report. */
export type AuditSaveKind = 'blurred' | 'annotated' | 'report' | 'fixed'

export interface IpcContract {
  /** null = the frame was dropped because the engine was still busy with an earlier one. */
  'vision:detectForVideo': (frame: VideoFrameRequest) => VisionResult | null
  'vision:setOptions': (options: Partial<VisionOptions>) => void
  'audit:run': (source: AuditSource, options: Partial<AuditOptions>) => PhotoReport
  'audit:image': (reportId: string, kind: 'original' | 'annotated') => EncodedImage
  'audit:blur': (reportId: string, mode: BlurMode, strength: number) => EncodedImage
  'audit:save': (reportId: string, kind: AuditSaveKind) => string | null
  /** Square re-crop with the face at a good size, blurred as the report's blur is set; `size` in pixels (FIX_DEFAULT_SIZE). */
  'audit:fix': (reportId: string, size: number) => FixReport
  'linkedin:signOut': () => void
  'captures:save': (capture: CaptureRequest) => CaptureInfo
  'captures:list': () => CaptureInfo[]
  'captures:read': (name: string) => EncodedImage
  'captures:delete': (name: string) => void
  'captures:open': (name: string) => void
  'captures:chooseFolder': () => string | null
  'settings:get': () => SettingsLoadResult
  'settings:set': (patch: SettingsPatch) => Settings
}

export type IpcChannel = keyof IpcContract
export type IpcArgs<C extends IpcChannel> = Parameters<IpcContract[C]>
export type IpcResult<C extends IpcChannel> = ReturnType<IpcContract[C]>

/** Events pushed from main to the renderer. */
export interface IpcEvents {
  'audit:progress': AuditProgress
}
export type IpcEventChannel = keyof IpcEvents

/** Every invoke channel, for registration and tests. */
export const IPC_CHANNELS = [
  'vision:detectForVideo',
  'vision:setOptions',
  'audit:run',
  'audit:image',
  'audit:blur',
  'audit:save',
  'audit:fix',
  'linkedin:signOut',
  'captures:save',
  'captures:list',
  'captures:read',
  'captures:delete',
  'captures:open',
  'captures:chooseFolder',
  'settings:get',
  'settings:set'
] as const satisfies readonly IpcChannel[]

/** Main-side implementation of every channel (async). */
export type IpcHandlers = { [C in IpcChannel]: (...args: IpcArgs<C>) => Promise<IpcResult<C>> | IpcResult<C> }
