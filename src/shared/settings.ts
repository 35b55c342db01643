/** User settings, persisted by the main process (or the browser-mode server). */
import type { BlurMode } from './audit'
import type { FaceFilter } from './face-filters'

export type LiveBlurMode = 'off' | BlurMode
export type SmilePreset = 'slight' | 'normal' | 'big'
/** Camera resolution asked for; photos are taken at the stream's full resolution, the engine sees small frames. */
export type CameraResolution = '720p' | '1080p' | 'max'

export interface Settings {
  live: {
    cameraId: string | null
    cameraResolution: CameraResolution
    mirror: boolean
    blurMode: LiveBlurMode
    blurStrength: number
    showBoxes: boolean
    showLandmarks: boolean
    showEmotion: boolean
    showSmileMeter: boolean
    showHud: boolean
    /** Face filter drawn on every face (in the view and in captures), or none. */
    filter: 'none' | FaceFilter
    /** Eyes, nose and mouth boxed and labelled. */
    showFeatureBoxes: boolean
    /** The loopback device the "Send to virtual camera" switch writes to; null = the first one found. */
    virtualCameraDevice: string | null
  }
  capture: {
    autoCapture: boolean
    preset: SmilePreset
    marThreshold: number
    holdMs: number
    cooldownMs: number
    /** Most automatic photos per session (one visit of the live page). */
    sessionLimit: number
    countdown: boolean
    sound: boolean
    flash: boolean
    /** In auto-capture, a joke when no smile has come for a few seconds. */
    jokes: boolean
    /** Folder captures are saved to; null means the default ~/Pictures/Smilecam. */
    folder: string | null
  }
  audit: {
    blurStrength: number
    blurMode: BlurMode
    minFaceAreaRatio: number
    marThreshold: number
  }
}

export const DEFAULT_SETTINGS: Settings = {
  live: {
    cameraId: null,
    cameraResolution: '1080p',
    mirror: true,
    blurMode: 'person',
    blurStrength: 0.6,
    // A call tool starts with the clean view; the overlays are one click away on the live page.
    showBoxes: false,
    showLandmarks: false,
    showEmotion: false,
    showSmileMeter: true,
    showHud: false,
    filter: 'none',
    showFeatureBoxes: false,
    virtualCameraDevice: null
  },
  capture: {
    // Off until the user turns it on: a new user should not find a burst of photos they did not take.
    autoCapture: false,
    preset: 'normal',
    marThreshold: 0.09,
    holdMs: 400,
    cooldownMs: 10_000,
    sessionLimit: 5,
    countdown: false,
    sound: true,
    flash: true,
    jokes: true,
    folder: null
  },
  audit: {
    blurStrength: 0.5,
    blurMode: 'person',
    minFaceAreaRatio: 0.25,
    marThreshold: 0.08
  }
}

/** A partial update: any section may be given, each with any of its keys. */
export type SettingsPatch = { [K in keyof Settings]?: Partial<Settings[K]> }

export interface SettingsLoadResult {
  settings: Settings
  /** Set when the stored file was unreadable and defaults were used. */
  warning?: string
}
