/** User settings, persisted by the main process (or the browser-mode server). */
import type { BlurMode } from './audit'
import type { FaceFilter } from './face-filters'

export type LiveBlurMode = 'off' | BlurMode
export type SmilePreset = 'slight' | 'normal' | 'big'

export interface Settings {
  live: {
    cameraId: string | null
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
    countdown: boolean
    sound: boolean
    flash: boolean
    saveBlurred: boolean
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
    mirror: true,
    blurMode: 'person',
    blurStrength: 0.6,
    showBoxes: true,
    showLandmarks: true,
    showEmotion: true,
    showSmileMeter: true,
    showHud: true,
    filter: 'none',
    showFeatureBoxes: false,
    virtualCameraDevice: null
  },
  capture: {
    autoCapture: true,
    preset: 'normal',
    marThreshold: 0.09,
    holdMs: 400,
    cooldownMs: 3000,
    countdown: false,
    sound: true,
    flash: true,
    saveBlurred: false,
    jokes: true,
    folder: null
  },
  audit: {
    blurStrength: 0.5,
    blurMode: 'person',
    minFaceAreaRatio: 0.25,
    marThreshold: 0.09
  }
}

/** A partial update: any section may be given, each with any of its keys. */
export type SettingsPatch = { [K in keyof Settings]?: Partial<Settings[K]> }

export interface SettingsLoadResult {
  settings: Settings
  /** Set when the stored file was unreadable and defaults were used. */
  warning?: string
}
