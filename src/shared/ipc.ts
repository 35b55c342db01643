/**
 * The one contract for every call between the renderer and the main process
 * (or the browser-mode server). Channels are named `domain:verb`.
 */
import type { AuditOptions, AuditProgress, AuditSource, BlurMode, EncodedImage, FixReport, PhotoReport } from './audit'
import type { ErrorInfo } from './errors'
import type { Settings, SettingsLoadResult, SettingsPatch } from './settings'
import type { VcamFrame, VcamStartRequest, VcamStatus } from './vcam'
import type { VisionResult } from './vision'

/** A downscaled RGBA video frame sent for live analysis. */
export interface VideoFrameRequest {
  width: number
  height: number
  /** RGBA bytes, width * height * 4 long. */
  data: Uint8Array
  timestampMs: number
  /** Per-frame stage switches (the rest are the engine's defaults). */
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

/** Whether Smilecam holds a LinkedIn sign-in, and whether this front end can open the sign-in window (the desktop app can, browser mode cannot). */
export interface LinkedInStatus {
  signedIn: boolean
  canSignIn: boolean
}

/** `fixed` is the last `audit:fix` result of that report. */
export type AuditViewKind = 'original' | 'blurred'

export type AuditSaveKind = 'blurred' | 'annotated' | 'report' | 'fixed'

/**
 * Every invoke channel `domain:verb`; the renderer calls it as `window.smilecam.domain.verb(...)`
 * (see ./api.ts, which derives SmilecamApi from this interface).
 */
export interface IpcContract {
  /** null = the frame was dropped because the engine was still busy with an earlier one; send the next frame. */
  'vision:detectForVideo': (frame: VideoFrameRequest) => VisionResult | null
  'audit:run': (source: AuditSource, options: Partial<AuditOptions>) => PhotoReport
  /** The decoded original (for sources the renderer has no bytes of) or the blurred still the audit rendered. */
  'audit:image': (reportId: string, kind: AuditViewKind) => EncodedImage
  'audit:blur': (reportId: string, mode: BlurMode, strength: number) => EncodedImage
  'audit:save': (reportId: string, kind: AuditSaveKind) => string | null
  /** Square re-crop with the face at a good size, blurred as the report's blur is set; `size` in pixels (FIX_DEFAULT_SIZE). */
  'audit:fix': (reportId: string, size: number) => FixReport
  'linkedin:signOut': () => void
  'linkedin:status': () => LinkedInStatus
  /** Opens LinkedIn's sign-in window; resolves when it is closed, with the new status. */
  'linkedin:signIn': () => LinkedInStatus
  'captures:save': (capture: CaptureRequest) => CaptureInfo
  'captures:list': () => CaptureInfo[]
  'captures:read': (name: string) => EncodedImage
  'captures:delete': (name: string) => void
  /** Opens the photo in the system viewer (null); where there is none (browser mode) returns the full image for the page to show. */
  'captures:open': (name: string) => EncodedImage | null
  'captures:chooseFolder': () => string | null
  'settings:get': () => SettingsLoadResult
  'settings:set': (patch: SettingsPatch) => Settings
  /** Platform support, loopback devices (re-read each call) and the running feed. */
  'vcam:status': () => VcamStatus
  /** Starts ffmpeg on one of the listed devices. */
  'vcam:start': (request: VcamStartRequest) => VcamStatus
  /** One composited frame; false = the feed is not running (it stopped: turn the switch off). */
  'vcam:frame': (frame: VcamFrame) => boolean
  'vcam:stop': () => VcamStatus
}

export type IpcChannel = keyof IpcContract
export type IpcArgs<C extends IpcChannel> = Parameters<IpcContract[C]>
export type IpcResult<C extends IpcChannel> = ReturnType<IpcContract[C]>

/** Events pushed from main to the renderer as `domain:noun`; the renderer subscribes with `smilecam.domain.onNoun(listener)`. */
export interface IpcEvents {
  'audit:progress': AuditProgress
  /** The virtual camera stopped by itself (ffmpeg missing or died, device busy or gone). */
  'vcam:stopped': ErrorInfo
}
export type IpcEventChannel = keyof IpcEvents

/**
 * The direct frame path (Electron): the renderer sends FRAME_PORT_REQUEST (no payload); main
 * answers with FRAME_PORT_DELIVERY carrying one end of a MessageChannel whose other end is in
 * the engine host. On that port the renderer posts FramePortMessage frames (src/engine/protocol.ts)
 * with their buffers transferred, and receives the host's answers.
 */
export const FRAME_PORT_REQUEST = 'vision:requestPort'
export const FRAME_PORT_DELIVERY = 'vision:port'

/** Every invoke channel, for registration, the bridges and tests (the record makes the compiler check it is complete). */
export const IPC_CHANNELS = Object.keys({
  'vision:detectForVideo': true,
  'audit:run': true,
  'audit:image': true,
  'audit:blur': true,
  'audit:save': true,
  'audit:fix': true,
  'linkedin:signOut': true,
  'linkedin:status': true,
  'linkedin:signIn': true,
  'captures:save': true,
  'captures:list': true,
  'captures:read': true,
  'captures:delete': true,
  'captures:open': true,
  'captures:chooseFolder': true,
  'settings:get': true,
  'settings:set': true,
  'vcam:status': true,
  'vcam:start': true,
  'vcam:frame': true,
  'vcam:stop': true
} satisfies Record<IpcChannel, true>) as readonly IpcChannel[]

/** Every event channel. */
export const IPC_EVENT_CHANNELS = Object.keys({ 'audit:progress': true, 'vcam:stopped': true } satisfies Record<IpcEventChannel, true>) as readonly IpcEventChannel[]

/** Main-side implementation of every channel (async). */
export type IpcHandlers = { [C in IpcChannel]: (...args: IpcArgs<C>) => Promise<IpcResult<C>> | IpcResult<C> }
